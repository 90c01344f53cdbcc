public import Foundation
public import SkyCore

/// A request to create a job, before validation.
public struct JobSubmission: Sendable, Hashable {
    /// The job kind; picks the spec type.
    public var kind: JobKind
    /// The kind's spec as submitted; validated and normalised before it is stored.
    public var spec: JSONValue
    /// Queue name; workers claim from the queues they serve.
    public var queue: String
    /// Higher runs first; ties run oldest first.
    public var priority: Int
    /// Attempts before the job fails for good (graceful hand-backs do not count).
    public var maxAttempts: Int
    /// What a worker must offer to run the job.
    public var requirements: JobRequirements
    /// Jobs that must succeed first; `{"fromJob": N}` references in the spec are added automatically.
    public var dependsOn: [Int64]
    /// A client key: resubmitting with the same key returns the first job instead of creating another.
    public var idempotencyKey: String?
    /// The experiment the job belongs to, for grouping and leaderboards.
    public var experiment: String?
    /// Free-form tags for filtering.
    public var tags: [String]
    /// Do not start before this time.
    public var runAfter: Date?
    /// A label for people (shown by `skyctl status`).
    public var name: String?

    /// Creates a submission with the usual defaults.
    public init(
        kind: JobKind, spec: JSONValue, queue: String = "default", priority: Int = 0, maxAttempts: Int = 3,
        requirements: JobRequirements = JobRequirements(), dependsOn: [Int64] = [], idempotencyKey: String? = nil,
        experiment: String? = nil, tags: [String] = [], runAfter: Date? = nil, name: String? = nil
    ) {
        self.kind = kind
        self.spec = spec
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.requirements = requirements
        self.dependsOn = dependsOn
        self.idempotencyKey = idempotencyKey
        self.experiment = experiment
        self.tags = tags
        self.runAfter = runAfter
        self.name = name
    }

    /// Limits on the envelope fields; the spec has its own.
    public static let priorityRange = -1000...1000
    /// Attempts a job may be given.
    public static let maxAttemptsRange = 1...100

    /// Validates every field and returns the normalised spec, or every problem located by JSON pointer.
    public func validated() throws(SpecValidationError) -> JSONValue {
        var issues: [SpecIssue] = []
        var normalised = spec
        do {
            normalised = try JobSpecs.validate(kind: kind, spec: spec)
        } catch {
            issues += error.issues.map { SpecIssue("/spec" + $0.pointer, $0.message) }
        }
        if queue.isEmpty || queue.count > 64 || queue.contains(where: { $0.isWhitespace }) {
            issues.append(SpecIssue("/queue", "must be 1 to 64 characters without spaces"))
        }
        if !Self.priorityRange.contains(priority) {
            issues.append(SpecIssue("/priority", "must be between \(Self.priorityRange.lowerBound) and \(Self.priorityRange.upperBound)"))
        }
        if !Self.maxAttemptsRange.contains(maxAttempts) {
            issues.append(SpecIssue("/maxAttempts", "must be between 1 and 100"))
        }
        issues += requirements.validate()
        if let specBackend = Self.specBackend(of: spec, kind: kind), let named = ComputeBackend(named: specBackend),
           let required = requirements.backend, let requiredBackend = ComputeBackend(named: required), requiredBackend != named {
            issues.append(SpecIssue("/requirements/backend", "'\(required)' conflicts with /spec/backend '\(specBackend)'"))
        }
        for (index, id) in dependsOn.enumerated() where id <= 0 {
            issues.append(SpecIssue("/dependsOn/\(index)", "must be a job id"))
        }
        if let key = idempotencyKey, key.isEmpty || key.utf8.count > 256 {
            issues.append(SpecIssue("/idempotencyKey", "must be 1 to 256 bytes"))
        }
        if let name, name.isEmpty || name.count > 200 {
            issues.append(SpecIssue("/name", "must be 1 to 200 characters"))
        }
        if let experiment, experiment.isEmpty || experiment.count > 200 {
            issues.append(SpecIssue("/experiment", "must be 1 to 200 characters"))
        }
        for (index, tag) in tags.enumerated() where tag.isEmpty || tag.count > 128 {
            issues.append(SpecIssue("/tags/\(index)", "must be 1 to 128 characters"))
        }
        if !issues.isEmpty { throw SpecValidationError(kind: kind.rawValue, issues: issues) }
        return normalised
    }

    /// The requirements stored with the job: the given ones, with the backend a train or eval spec names when none
    /// was given, so that a job whose spec says `cuda` is only ever claimed by a CUDA worker. `auto` requires nothing.
    public var effectiveRequirements: JobRequirements {
        var effective = requirements
        if effective.backend == nil, let named = Self.specBackend(of: spec, kind: kind).flatMap(ComputeBackend.init(named:)) {
            effective.backend = named.rawValue
        }
        return effective
    }

    /// The `backend` of a train or eval spec as submitted, nil for other kinds or when it gives none.
    private static func specBackend(of spec: JSONValue, kind: JobKind) -> String? {
        guard kind == .train || kind == .eval, case .string(let backend)? = spec["backend"] else { return nil }
        return backend
    }

    /// Explicit dependencies plus every job the spec takes outputs from, without repeats.
    public var allDependencies: [Int64] {
        var seen = Set<Int64>()
        return (dependsOn + JobInputs.referencedJobs(in: spec)).filter { seen.insert($0).inserted }
    }
}

/// What submitting produced.
public struct SubmittedJob: Sendable, Hashable {
    /// The job's id.
    public var id: Int64
    /// Its state right after submission (waiting, queued, or cancelled when a dependency already failed).
    public var state: JobState
    /// False when an idempotency key matched an existing job, which is returned instead.
    public var created: Bool
}
