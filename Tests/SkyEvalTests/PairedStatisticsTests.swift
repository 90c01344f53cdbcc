import Foundation
import SkyEval
import Testing

/// Paired statistics against values computed independently: the binomial sums exactly in Python's Fraction
/// (2·Σᵢ≤ₖ C(n, i)/2ⁿ), the Wilson bounds from the formula by hand.
@Suite struct PairedStatisticsTests {
    @Test func mcnemarExactMatchesTheBinomialTest() {
        // Exact values: (5, 0) 0.0625, (1, 9) 0.021484375, (3, 7) 0.34375, (5, 5) 1, (20, 30) 0.20263875106454066,
        // (1000, 1100) 0.030720707864242296 (terms summed in logs stay finite where C(n, i)/2ⁿ would underflow).
        for (b, c, exact) in [(5, 0, 0.0625), (1, 9, 0.021484375), (3, 7, 0.34375), (5, 5, 1), (20, 30, 0.20263875106454066),
                              (1000, 1100, 0.030720707864242296)] {
            let p = PairedComparison.mcnemarExact(b, c)
            #expect(abs(p - exact) <= 1e-9 * exact, "(\(b), \(c)): \(p) vs \(exact)")
        }
        #expect(PairedComparison.mcnemarExact(0, 0) == 1)
    }

    @Test func wilsonIntervalsMatchTheFormula() {
        // 8 of 10 at 95%: (0.4901624, 0.9433178); 0 of 10: (0, 0.2775328); 10 of 10: (0.7224672, 1).
        let a = PairedComparison.wilson(successes: 8, trials: 10)
        #expect(abs(a.lowerBound - 0.4901624) < 1e-6 && abs(a.upperBound - 0.9433178) < 1e-6, "\(a)")
        let none = PairedComparison.wilson(successes: 0, trials: 10), all = PairedComparison.wilson(successes: 10, trials: 10)
        #expect(none.lowerBound == 0 && abs(none.upperBound - 0.2775328) < 1e-6)
        #expect(abs(all.lowerBound - 0.7224672) < 1e-6 && abs(all.upperBound - 1) < 1e-12)
    }

    @Test func flipsDifferenceAndAnIntervalThatCoversItWhenTheRunsDiffer() {
        // 100 problems: 40 right in both, 5 lost, 25 gained, 30 wrong in both.
        var pairs: [PairedComparison.Pair] = []
        for i in 0..<100 {
            let (a, b) = i < 40 ? (true, true) : i < 45 ? (true, false) : i < 70 ? (false, true) : (false, false)
            pairs.append(.init(problem: "p\(i)", a: a, b: b))
        }
        let c = PairedComparison(pairs)
        #expect(c.bothRight == 40 && c.rightToWrong == 5 && c.wrongToRight == 25 && c.bothWrong == 30 && c.problems == 100)
        #expect(abs(c.difference - 0.20) < 1e-12 && c.accuracyA == 0.45 && c.accuracyB == 0.65)
        #expect(c.mcnemarP < 0.001)
        #expect(c.differenceInterval.contains(0.20) && c.differenceInterval.lowerBound > 0.05 && c.differenceInterval.upperBound < 0.35,
                "\(c.differenceInterval)")
        // The same seed, the same interval; the interval of two identical runs is a point at 0.
        #expect(PairedComparison(pairs) == c)
        let same = PairedComparison(pairs.map { .init(problem: $0.problem, a: $0.a, b: $0.a) })
        #expect(same.differenceInterval == 0...0 && same.mcnemarP == 1)
    }

    @Test func problemsAreResampledWholeWhenTheyHaveSeveralSamples() {
        // Two samples per problem, B better on every sample of half the problems: the interval is about the problem
        // level spread, not the sample level (which would be narrower by about √2).
        var pairs: [PairedComparison.Pair] = []
        for i in 0..<50 {
            for _ in 0..<2 { pairs.append(.init(problem: "p\(i)", a: false, b: i % 2 == 0)) }
        }
        let c = PairedComparison(pairs)
        #expect(c.problems == 50 && c.pairs == 100 && c.difference == 0.5)
        let width = c.differenceInterval.upperBound - c.differenceInterval.lowerBound
        // Problem-level: the standard error of a mean of 50 values in {0, 1} at p = ½ is 0.0707; a 95% interval is
        // about 0.28 wide.
        #expect(width > 0.22 && width < 0.34, "\(c.differenceInterval)")
    }
}
