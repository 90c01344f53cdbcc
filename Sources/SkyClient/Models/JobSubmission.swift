public import Foundation
public import SkyCore

/// What a client sends to submit a job (the `JobSubmission` schema); unset fields take the server's defaults.
public struct NewJob: Codable, Sendable, Hashable {
    public var kind: JobKind
    /// The kind's spec; the server validates it and fills defaults.
    public var spec: JSONValue
    public var name: String?
    public var queue: String?
    public var priority: Int?
    public var maxAttempts: Int?
    public var requirements: JobRequirements?
    public var dependsOn: [Int64]?
    public var idempotencyKey: String?
    public var experiment: String?
    public var tags: [String]?
    public var runAfter: Date?

    /// Creates a submission of `kind` with `spec`.
    public init(
        kind: JobKind, spec: JSONValue, name: String? = nil, queue: String? = nil, priority: Int? = nil,
        maxAttempts: Int? = nil, requirements: JobRequirements? = nil, dependsOn: [Int64]? = nil,
        idempotencyKey: String? = nil, experiment: String? = nil, tags: [String]? = nil, runAfter: Date? = nil
    ) {
        self.kind = kind
        self.spec = spec
        self.name = name
        self.queue = queue
        self.priority = priority
        self.maxAttempts = maxAttempts
        self.requirements = requirements
        self.dependsOn = dependsOn
        self.idempotencyKey = idempotencyKey
        self.experiment = experiment
        self.tags = tags
        self.runAfter = runAfter
    }
}
