public import Foundation
import SkyCore

/// A row of the `leaderboard` view: one model + adapter on one benchmark, its best and latest runs.
public struct LeaderboardEntry: Sendable, Hashable {
    public var benchmark: String
    public var model: String
    public var modelSHA256: String
    public var adapter: String?
    public var adapterSHA256: String?
    public var experiment: String?
    public var variant: String
    public var best: Score
    public var latest: Score
    /// Complete runs of this model + adapter on the benchmark.
    public var runs: Int
    /// When the latest run finished.
    public var latestFinishedAt: Date

    /// One run's score as the leaderboards show it.
    public struct Score: Sendable, Hashable {
        public var accuracy: Double
        public var standardError: Double?
        public var n: Int
        public var configHash: String
        public var jobID: Int64?
        /// The grader whose verdicts give the score.
        public var grader: String = "unrecorded"
    }
}

/// A row of the `experiment_table` view: one variant of an experiment, its score on each benchmark and the average.
public struct ExperimentTableRow: Sendable, Hashable {
    public var experiment: String
    public var variant: String
    /// Benchmark name → score.
    public var scores: [String: Cell]
    public var average: Double
    public var averageStandardError: Double?
    /// The lowest job id among the row's runs (submission order).
    public var firstJobID: Int64?

    /// One benchmark's score in the table.
    public struct Cell: Sendable, Hashable {
        public var accuracy: Double
        public var standardError: Double?
        public var n: Int
        public var problems: Int
        public var jobID: Int64?
        /// The eval run behind the cell.
        public var runID: Int64?
        /// The grader whose verdicts give the score.
        public var grader: String?
        /// The harness format the run was imported from; nil for Sky's own runs.
        public var importedFrom: String?
        /// Training seeds the cell averages over (1 without `seeds:`).
        public var seeds: Int = 1
        /// The standard deviation of the seeds' accuracies; nil for one seed.
        public var seedStandardDeviation: Double?
    }
}

/// One training seed's score of an experiment cell (a row of `experiment_seed_scores`).
public struct SeedScore: Sendable, Hashable {
    public var variant: String
    public var benchmark: String
    /// nil for untuned models and imports.
    public var seed: Int64?
    public var accuracy: Double
}
