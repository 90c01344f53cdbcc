public import Foundation

/// A row of the server's `leaderboard` view: one model + adapter on one benchmark, best and latest score.
public struct LeaderboardEntry: Codable, Sendable, Hashable {
    public var benchmark: String
    public var model: String
    public var modelSha256: String
    public var adapter: String?
    public var adapterSha256: String?
    public var experiment: String?
    public var variant: String
    public var best: Score
    public var latest: Score
    /// Complete runs of this model + adapter on the benchmark.
    public var runs: Int
    public var latestFinishedAt: Date

    /// One run's score.
    public struct Score: Codable, Sendable, Hashable {
        /// Fraction in [0, 1].
        public var accuracy: Double
        public var standardError: Double?
        public var n: Int
        public var configHash: String
        public var jobId: Int64?
    }
}

/// An experiment's table in the paper's Table 2 shape.
public struct ExperimentScores: Codable, Sendable, Hashable {
    public var experiment: String
    /// Every benchmark some variant has a score on, sorted.
    public var benchmarks: [String]
    /// One row per variant, in submission order.
    public var rows: [Row]

    /// One variant's scores.
    public struct Row: Codable, Sendable, Hashable {
        public var variant: String
        public var scores: [String: Cell]
        public var average: Double
        public var averageStandardError: Double?

        /// Creates a row.
        public init(variant: String, scores: [String: Cell], average: Double, averageStandardError: Double?) {
            self.variant = variant
            self.scores = scores
            self.average = average
            self.averageStandardError = averageStandardError
        }
    }

    /// One benchmark's score for a variant.
    public struct Cell: Codable, Sendable, Hashable {
        public var accuracy: Double
        public var standardError: Double?
        public var n: Int
        public var problems: Int
        public var jobId: Int64?
    }
}

/// An eval run as its job lists it: which benchmark it scored and how it stands (the fields comparisons need).
public struct EvalRunSummary: Codable, Sendable, Hashable {
    /// The run's id (eval_runs.id).
    public var id: Int64
    /// Its job; null once retention pruned the job.
    public var jobId: Int64?
    /// The benchmark's name and content hash (runs compare only over the same content).
    public var benchmark: String, benchmarkSha256: String
    /// The experiment and row label.
    public var experiment: String?, variant: String
    /// running or complete.
    public var state: String
    /// Mean correctness; null until complete.
    public var accuracy: Double?
}

/// One sample's verdict: what a paired comparison of two runs reads.
public struct EvalVerdict: Codable, Sendable, Hashable {
    /// The problem and which of its samples.
    public var problemId: String, sampleIndex: Int
    /// The grader's verdict.
    public var correct: Bool
}
