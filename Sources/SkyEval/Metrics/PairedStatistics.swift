import Foundation

/// Whether a difference between two eval runs over the same samples is more than noise: flip counts, the exact
/// McNemar test, the accuracy difference with a paired-bootstrap interval, and Wilson intervals for each accuracy.
/// The `eval_run_comparisons` view (migrations/0008) computes the same counts, p-value and Wilson bounds in SQL.
public struct PairedComparison: Sendable, Equatable {
    /// Samples present in both runs (same problem, same sample index), and the problems they cover.
    public let pairs: Int, problems: Int
    /// Pairs right in both, right only in A (A → B lost it), right only in B (B gained it), wrong in both.
    public let bothRight: Int, rightToWrong: Int, wrongToRight: Int, bothWrong: Int
    /// Two-sided exact McNemar p-value over the discordant pairs (a binomial test at ½).
    public let mcnemarP: Double
    /// accuracy(B) − accuracy(A) over the pairs, and its 95% paired-bootstrap interval (problems resampled whole).
    public let difference: Double, differenceInterval: ClosedRange<Double>
    /// Each run's accuracy over the pairs with its 95% Wilson interval.
    public let accuracyA: Double, accuracyB: Double
    public let intervalA: ClosedRange<Double>, intervalB: ClosedRange<Double>

    /// One paired sample: its problem and whether each run got it right.
    public struct Pair: Sendable, Equatable {
        /// The problem the sample belongs to (the bootstrap resamples problems, keeping their samples together).
        public var problem: String
        /// Verdicts of run A and run B.
        public var a: Bool, b: Bool

        /// A pair from its parts.
        public init(problem: String, a: Bool, b: Bool) {
            self.problem = problem
            self.a = a
            self.b = b
        }
    }

    /// The comparison of `pairs`; the bootstrap draws `resamples` times from a generator seeded with `seed`, so the
    /// interval is the same on every run.
    public init(_ pairs: [Pair], resamples: Int = 2000, seed: UInt64 = 17) {
        self.pairs = pairs.count
        bothRight = pairs.filter { $0.a && $0.b }.count
        rightToWrong = pairs.filter { $0.a && !$0.b }.count
        wrongToRight = pairs.filter { !$0.a && $0.b }.count
        bothWrong = pairs.count - bothRight - rightToWrong - wrongToRight
        mcnemarP = Self.mcnemarExact(rightToWrong, wrongToRight)
        let n = max(1, pairs.count)
        accuracyA = Double(bothRight + rightToWrong) / Double(n)
        accuracyB = Double(bothRight + wrongToRight) / Double(n)
        difference = accuracyB - accuracyA
        intervalA = Self.wilson(successes: bothRight + rightToWrong, trials: pairs.count)
        intervalB = Self.wilson(successes: bothRight + wrongToRight, trials: pairs.count)
        // Per problem: its samples and the B − A difference of their verdicts summed.
        var perProblem: [String: (samples: Int, delta: Int)] = [:]
        for pair in pairs { perProblem[pair.problem, default: (0, 0)].samples += 1; perProblem[pair.problem]!.delta += (pair.b ? 1 : 0) - (pair.a ? 1 : 0) }
        let groups = perProblem.keys.sorted().map { perProblem[$0]! }
        problems = groups.count
        differenceInterval = Self.bootstrap(groups, resamples: resamples, seed: seed) ?? difference...difference
    }

    /// Two-sided exact McNemar p-value for b and c discordant pairs: 2·P(X ≤ min(b, c)) for X ~ Binomial(b + c, ½),
    /// at most 1; 1 when there are none.
    public static func mcnemarExact(_ b: Int, _ c: Int) -> Double {
        let n = b + c
        guard n > 0 else { return 1 }
        // Terms in logs: C(n, i)/2ⁿ underflows a double long before n is large.
        var logTerm = -Double(n) * log(2.0), total = 0.0
        for i in 0...min(b, c) {
            if i > 0 { logTerm += log(Double(n - i + 1)) - log(Double(i)) }
            total += exp(logTerm)
        }
        return min(1, 2 * total)
    }

    /// The Wilson score interval for `successes` of `trials` at confidence z (1.96: 95%); 0...1 for no trials.
    public static func wilson(successes: Int, trials: Int, z: Double = 1.959963984540054) -> ClosedRange<Double> {
        guard trials > 0 else { return 0...1 }
        let n = Double(trials), p = Double(successes) / n, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return max(0, centre - half)...min(1, centre + half)
    }

    /// The 2.5th and 97.5th percentiles of the difference over `resamples` resamplings of whole problems.
    static func bootstrap(_ groups: [(samples: Int, delta: Int)], resamples: Int, seed: UInt64) -> ClosedRange<Double>? {
        guard !groups.isEmpty, resamples > 0 else { return nil }
        var state = seed | 1
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(groups.count))
        }
        var differences: [Double] = []
        differences.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var samples = 0, delta = 0
            for _ in groups.indices {
                let g = groups[next()]
                samples += g.samples
                delta += g.delta
            }
            differences.append(Double(delta) / Double(max(1, samples)))
        }
        differences.sort()
        let low = differences[Int((Double(resamples - 1) * 0.025).rounded())], high = differences[Int((Double(resamples - 1) * 0.975).rounded())]
        return low...high
    }
}
