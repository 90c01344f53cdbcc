public import Foundation
public import SkyCore

/// What an eval job declares when it starts a benchmark: everything the leaderboards show about the run.
public struct NewEvalRun: Sendable, Hashable {
    /// The benchmark's name in the job's spec.
    public var benchmark: String
    /// SHA-256 of the benchmark's problems as loaded.
    public var benchmarkSHA256: String
    /// The row of the experiment table this run fills.
    public var variant: String
    /// How the job named its model (a path, `artifact:N`, `job:N`).
    public var model: String
    /// SHA-256 of the model's config and weights.
    public var modelSHA256: String
    /// How the job named its adapter, if any.
    public var adapter: String?
    /// SHA-256 of the adapter's files, if any.
    public var adapterSHA256: String?
    /// Everything that can change a score.
    public var config: JSONValue
    /// Stable hash of `config`.
    public var configHash: String
    /// Problems in the benchmark (after any limit).
    public var problems: Int
    /// Samples per problem (n).
    public var samplesPerProblem: Int
    /// The machine that runs it (processor or GPU, math library, kernels, threads, worker, host); see migration 10.
    public var environment: JSONValue?
    /// The training seed of the evaluated model or adapter (its train job's `seed`); nil for an untuned model.
    public var trainSeed: UInt64?
    /// The grader whose verdicts the samples will hold: `config`'s "grader", else "unrecorded".
    public var grader: String { config["grader"]?.stringValue ?? "unrecorded" }

    /// Creates a run description.
    public init(benchmark: String, benchmarkSHA256: String, variant: String, model: String, modelSHA256: String,
                adapter: String? = nil, adapterSHA256: String? = nil, config: JSONValue, configHash: String,
                problems: Int, samplesPerProblem: Int, environment: JSONValue? = nil, trainSeed: UInt64? = nil) {
        self.benchmark = benchmark
        self.benchmarkSHA256 = benchmarkSHA256
        self.variant = variant
        self.model = model
        self.modelSHA256 = modelSHA256
        self.adapter = adapter
        self.adapterSHA256 = adapterSHA256
        self.config = config
        self.configHash = configHash
        self.problems = problems
        self.samplesPerProblem = samplesPerProblem
        self.environment = environment
        self.trainSeed = trainSeed
    }
}

/// A run as stored, for resumption and the API.
public struct EvalRunRecord: Sendable, Hashable {
    public var id: Int64
    public var jobID: Int64?
    public var benchmark: String
    public var benchmarkSHA256: String
    public var experiment: String?
    public var variant: String
    public var model: String
    public var modelSHA256: String
    public var adapter: String?
    public var adapterSHA256: String?
    public var config: JSONValue
    public var configHash: String
    public var problems: Int
    public var samplesPerProblem: Int
    /// `running` or `complete`.
    public var state: String
    public var accuracy: Double?
    public var standardError: Double?
    public var summary: JSONValue?
    public var createdAt: Date
    public var finishedAt: Date?
    /// The grader whose verdicts the samples hold (`GraderVersion.current` when they were graded).
    public var grader: String
    /// Where an imported run's outputs came from (format, file, SHA-256, harness accuracy); nil for Sky's own runs.
    public var source: JSONValue?
    /// The machine of the attempt that last wrote the run; nil for imports and runs stored before migration 10.
    public var environment: JSONValue?
    /// The training seed of the evaluated model or adapter; nil for untuned models and imports.
    public var trainSeed: Int64?
}

/// One graded sample.
public struct EvalSampleRow: Sendable, Hashable {
    public var problemID: String
    public var sampleIndex: Int
    public var level: String?
    public var promptTokens: Int
    public var output: String
    public var extracted: String?
    public var correct: Bool
    /// Why the grader decided as it did.
    public var reason: String
    public var outputTokens: Int
    /// `stop` or `length`.
    public var finishReason: String
    public var reflectionKeywords: Int
    /// The gold answer the sample was graded against; nil for code problems and samples stored before migration 9.
    public var gold: String?

    /// Creates a row.
    public init(problemID: String, sampleIndex: Int, level: String? = nil, promptTokens: Int, output: String, extracted: String?,
                correct: Bool, reason: String, outputTokens: Int, finishReason: String, reflectionKeywords: Int = 0,
                gold: String? = nil) {
        self.problemID = problemID
        self.sampleIndex = sampleIndex
        self.level = level
        self.promptTokens = promptTokens
        self.output = output
        self.extracted = extracted
        self.correct = correct
        self.reason = reason
        self.outputTokens = outputTokens
        self.finishReason = finishReason
        self.reflectionKeywords = reflectionKeywords
        self.gold = gold
    }
}

/// A run opened by an eval job: its id, and what an earlier attempt already finished.
public struct OpenedEvalRun: Sendable, Hashable {
    /// The run's id.
    public var id: Int64
    /// Problems whose samples are all stored (an earlier attempt's work that need not be redone).
    public var finishedProblems: Set<String>
    /// The run was already complete (an earlier attempt finished it): nothing to do.
    public var complete: Bool
}

/// Why an eval write was refused.
public enum EvalStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The job no longer runs at this attempt (lost lease, cancelled, finished).
    case notHeld(JobToken)
    /// No run has this id.
    case runNotFound(Int64)
    /// The samples do not belong to the run (bad sample index).
    case invalidSample(String)
    /// The run cannot be rescored as asked (still running, no samples left, changed meanwhile).
    case cannotRescore(String)

    public var description: String {
        switch self {
        case .notHeld(let token): "job \(token.id) no longer runs at attempt \(token.attempt); eval results not written"
        case .runNotFound(let id): "eval run \(id) does not exist"
        case .invalidSample(let why): why
        case .cannotRescore(let why): why
        }
    }
}
