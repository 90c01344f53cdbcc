public import Foundation
public import SkyCore

/// A job as the API describes it (the `Job` schema of api/openapi.yaml).
public struct Job: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var kind: JobKind
    public var name: String?
    public var queue: String
    public var state: JobState
    public var priority: Int
    /// The normalised spec, defaults filled.
    public var spec: JSONValue
    public var requirements: JobRequirements
    /// Claims so far; the fencing token of the latest run.
    public var attempt: Int
    /// Attempts counted against `maxAttempts`.
    public var attemptsUsed: Int
    public var maxAttempts: Int
    public var workerId: String?
    public var leaseExpiresAt: Date?
    public var cancelRequested: Bool
    public var idempotencyKey: String?
    public var experiment: String?
    public var tags: [String]
    /// 0 to 1, as the executor last reported it.
    public var progress: Double?
    public var progressMessage: String?
    /// The executor's output, once succeeded.
    public var result: JSONValue?
    public var error: String?
    public var dependsOn: [Int64]
    public var createdAt: Date
    public var runAfter: Date
    /// Start of the latest attempt.
    public var startedAt: Date?
    public var finishedAt: Date?
    public var timings: JobTimings
    /// While queued, why no live worker can claim the job ("no live worker offers backend cuda").
    public var waitingReason: String?
}

/// How long a job has taken, in seconds; a running job's figures run up to the response's time.
public struct JobTimings: Codable, Sendable, Hashable {
    /// Submission to finish (or now).
    public var totalSeconds: Double
    /// Start of the latest attempt to finish (or now).
    public var runSeconds: Double?
}
