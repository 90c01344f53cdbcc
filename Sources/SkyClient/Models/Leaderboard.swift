public import Foundation
public import SkyCore

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
        /// The grader whose verdicts give the score; nil from servers before grader versions.
        public var grader: String?
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
        /// The eval run behind the cell.
        public var runId: Int64?
        /// The grader whose verdicts give the score ("1.2.0+3f9c2a1b7e04").
        public var grader: String?
        /// The harness format an imported run came from; nil for Sky's own runs.
        public var importedFrom: String?
        /// Training seeds the cell averages over; nil from servers before seeds.
        public var seeds: Int?
        /// The standard deviation of the seeds' accuracies; nil for one seed.
        public var seedStandardDeviation: Double?
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
    /// The grader whose verdicts the samples hold.
    public var grader: String?
    /// An imported run's provenance (format, file, sha256, harnessGrader, harnessAccuracy); nil for Sky's own runs.
    public var source: JSONValue?
    /// The machine the run's last attempt ran on (device, library, kernels, threads, host, os); nil for imports.
    public var environment: JSONValue?
    /// GET /v1/eval-runs/{id} only: the run's accuracy under every grader that judged it.
    public var graders: [GraderScore]?
}

/// A run's accuracy under one grader.
public struct GraderScore: Codable, Sendable, Hashable {
    public var grader: String
    /// The grader whose verdicts the run holds now.
    public var current: Bool
    public var samples: Int
    public var accuracy: Double
}

/// A sample two graders judged differently.
public struct VerdictChangeEntry: Codable, Sendable, Hashable {
    public var problemId: String
    public var sampleIndex: Int
    public var gold: String?
    public var before: Verdict
    public var after: Verdict

    /// One grader's verdict.
    public struct Verdict: Codable, Sendable, Hashable {
        public var correct: Bool
        public var extracted: String?
        public var reason: String
    }
}

/// One sample's verdict: what a paired comparison of two runs reads.
public struct EvalVerdict: Codable, Sendable, Hashable {
    /// The problem and which of its samples.
    public var problemId: String, sampleIndex: Int
    /// The grader's verdict.
    public var correct: Bool
    /// The generated text, the answer read from it and why it was judged so.
    public var output: String?
    public var extracted: String?
    public var reason: String?
}
