public import Foundation
public import SkyCore

/// A job as stored: everything a user or tool may want to see about it.
public struct JobRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: JobKind
    /// A label people gave the job.
    public var name: String?
    public var queue: String
    public var state: JobState
    public var priority: Int
    public var spec: JSONValue
    /// What a worker must offer to run it.
    public var requirements: JobRequirements
    /// Claims so far; the fencing token of the latest run.
    public var attempt: Int
    /// Attempts that counted against `maxAttempts`.
    public var attemptsUsed: Int
    public var maxAttempts: Int
    public var runAfter: Date
    public var workerID: String?
    public var leaseExpiresAt: Date?
    public var cancelRequested: Bool
    public var idempotencyKey: String?
    public var experiment: String?
    public var tags: [String]
    public var progress: Double?
    public var progressMessage: String?
    public var result: JSONValue?
    public var error: String?
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
    /// Jobs this one waits on.
    public var dependsOn: [Int64]
}

/// One recorded state change.
public struct JobEvent: Sendable, Hashable {
    public var jobID: Int64
    public var attempt: Int
    /// Nil for the creation event.
    public var from: JobState?
    public var to: JobState
    public var at: Date
    public var workerID: String?
    public var reason: String?
}
