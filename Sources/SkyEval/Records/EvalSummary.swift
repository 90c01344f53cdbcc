/// The result of one eval: what the executor stores and leaderboards show.
public struct EvalSummary: Sendable, Equatable, Codable {
    /// The benchmark's name.
    public var benchmark: String
    /// SHA-256 of the benchmark file.
    public var benchmarkSHA256: String
    /// Problems graded.
    public var problemCount: Int
    /// Samples per problem.
    public var n: Int
    /// Mean accuracy over n × problems.
    public var accuracy: Double
    /// Standard error of `accuracy` (see `EvalMetrics.accuracy`).
    public var standardError: Double
    /// pass@k for every k from 1 to n, keyed by k.
    public var passAtK: [Int: Double]
    /// Mean generated tokens per sample.
    public var avgOutputTokens: Double
    /// Mean reflection phrases per sample (`ReflectionKeywords`).
    public var avgReflectionKeywords: Double
    /// Accuracy ± SE and count per level ("none" for problems without one).
    public var byLevel: [String: Estimate]
    /// The configuration the samples were generated and graded with.
    public var configuration: EvalConfiguration
    /// `configuration.configHash`, stored so results can be grouped without recomputing it.
    public var configHash: String

    enum CodingKeys: String, CodingKey {
        case benchmark, benchmarkSHA256 = "benchmark_sha256", problemCount = "problem_count", n, accuracy,
             standardError = "standard_error", passAtK = "pass_at_k", avgOutputTokens = "avg_output_tokens",
             avgReflectionKeywords = "avg_reflection_keywords", byLevel = "by_level", configuration, configHash = "config_hash"
    }
}
