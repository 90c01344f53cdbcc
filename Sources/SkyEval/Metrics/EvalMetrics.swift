/// Pure functions from graded samples to the numbers a leaderboard shows. `correct[p][s]` is whether sample `s` of
/// problem `p` was graded correct; every problem has the same number of samples n.
public enum EvalMetrics {
    /// Accuracy = the mean over all n × P samples, with the standard error of the mean of the per-problem
    /// accuracies aᵢ = cᵢ/n across problems: SE = sqrt(Σ(aᵢ − ā)² / P / P), i.e. sqrt(var/P) with the population
    /// variance. For n = 1 this is sqrt(p(1 − p)/P), the binomial standard error. The spread between a problem's own
    /// samples is not counted: the question sample is what varies from one benchmark to the next.
    public static func accuracy(_ correct: [[Bool]]) -> Estimate {
        let perProblem = correct.map { samples in samples.isEmpty ? 0 : Double(samples.count { $0 }) / Double(samples.count) }
        let count = perProblem.count
        guard count > 0 else { return Estimate(value: 0, standardError: 0, count: 0) }
        let mean = perProblem.reduce(0, +) / Double(count)
        let variance = perProblem.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
        return Estimate(value: mean, standardError: (variance / Double(count)).squareRoot(), count: count)
    }

    /// Unbiased pass@k for one problem with `n` samples of which `c` are correct: 1 − C(n−c, k)/C(n, k), computed as
    /// 1 − Π_{i=n−c+1}^{n} (1 − k/i) so no binomial coefficient is ever formed (Chen et al., 2021).
    public static func passAtK(n: Int, c: Int, k: Int) -> Double {
        precondition(0 <= c && c <= n && 1 <= k && k <= n, "pass@k needs 0 ≤ c ≤ n and 1 ≤ k ≤ n")
        if c == 0 { return 0 }
        if n - c < k { return 1 }
        var failAll = 1.0
        for i in (n - c + 1)...n { failAll *= 1 - Double(k) / Double(i) }
        return 1 - failAll
    }

    /// Mean pass@k over problems.
    public static func passAtK(_ correct: [[Bool]], k: Int) -> Double {
        guard !correct.isEmpty else { return 0 }
        return correct.reduce(0) { $0 + passAtK(n: $1.count, c: $1.count { $0 }, k: k) } / Double(correct.count)
    }

    /// The k reported for n samples: every k from 1 to n (the whole pass@k curve, for comparing harnesses at any k).
    public static func ks(n: Int) -> [Int] {
        n >= 1 ? Array(1...n) : []
    }

    /// Accuracy ± SE and problem count per level; problems without a level are grouped under "none".
    public static func byLevel(levels: [String?], correct: [[Bool]]) -> [String: Estimate] {
        precondition(levels.count == correct.count, "one level per problem")
        var groups: [String: [[Bool]]] = [:]
        for (level, samples) in zip(levels, correct) { groups[level ?? "none", default: []].append(samples) }
        return groups.mapValues(accuracy)
    }

    /// The mean of `values`, 0 when empty.
    public static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }
}
