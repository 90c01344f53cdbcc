public import SkyCore

/// What `POST /v1/experiments` answers: the plan, and per job whether it is new, reused or re-run.
public struct ExperimentSubmission: Codable, Sendable, Hashable {
    /// One job of the plan.
    public struct PlannedJob: Codable, Sendable, Hashable {
        public var index: Int
        /// `pretrain`, `perturb`, `train` or `eval`.
        public var stage: String
        public var variant: String
        public var benchmark: String?
        public var name: String
        public var kind: JobKind
        /// Nil in a dry run for a job that would be created.
        public var id: Int64?
        public var state: JobState?
        /// `new`, `reused` or `rerun`.
        public var action: String
        /// The idempotency key (content hash, `#N` for the N-th run).
        public var key: String
        public var dependsOnIndex: [Int]
    }

    /// Jobs by action.
    public struct Counts: Codable, Sendable, Hashable {
        public var new: Int
        public var reused: Int
        public var rerun: Int
    }

    public var experiment: String
    public var quick: Bool
    public var dryRun: Bool
    public var counts: Counts
    public var jobs: [PlannedJob]
}
