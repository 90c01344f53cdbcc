/// The jobs an experiment file expands into, in dependency order (every job after the jobs it needs).
public struct ExperimentPlan: Sendable, Hashable {
    /// The experiment name every job carries.
    public var experiment: String
    /// The jobs; `PlannedJob.dependsOnIndex` and `{"fromJob": "$N"}` in specs index into this list.
    public var jobs: [PlannedJob]

    /// Creates a plan.
    public init(experiment: String, jobs: [PlannedJob]) {
        self.experiment = experiment
        self.jobs = jobs
    }
}

/// One job of an experiment plan.
public struct PlannedJob: Sendable, Hashable {
    /// `pretrain`, `perturb`, `train` or `eval`.
    public var stage: String
    /// The variant (table row) the job belongs to; `base` for the untuned model and its pretraining.
    public var variant: String
    /// The benchmark an eval job runs; nil for other stages.
    public var benchmark: String?
    /// A readable name, e.g. `train shuffle 100%`.
    public var name: String
    /// The job kind.
    public var kind: JobKind
    /// The normalised spec; outputs of earlier jobs of the plan are `{"fromJob": "$N"}`.
    public var spec: JSONValue
    /// Earlier jobs of the plan this one consumes.
    public var dependsOnIndex: [Int]
    /// The content hash: kind, experiment and spec with each dependency replaced by its own key.
    public var key: String
    /// `stage:<stage>` and `variant:<name>` (and `benchmark:<name>` for evals).
    public var tags: [String]
    /// Queue, priority and attempts from the file; nil for the submission defaults.
    public var queue: String?
    /// Higher runs first.
    public var priority: Int?
    /// Attempts before the job fails for good.
    public var maxAttempts: Int?

    /// Creates a planned job.
    public init(stage: String, variant: String, benchmark: String? = nil, name: String, kind: JobKind, spec: JSONValue,
                dependsOnIndex: [Int], key: String, tags: [String], queue: String? = nil, priority: Int? = nil, maxAttempts: Int? = nil) {
        self.stage = stage
        self.variant = variant
        self.benchmark = benchmark
        self.name = name
        self.kind = kind
        self.spec = spec
        self.dependsOnIndex = dependsOnIndex
        self.key = key
        self.tags = tags
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
    }
}
