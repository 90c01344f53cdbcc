public import Foundation
public import SkyCore

/// A job a worker has claimed: what it needs to run it and to write back under its fencing token.
public struct ClaimedJob: Sendable, Hashable {
    /// The job's id.
    public var id: Int64
    /// Its kind.
    public var kind: JobKind
    /// The fencing token: every write for this run names it.
    public var attempt: Int
    /// Attempts used so far, this one included (hand-backs excluded); drives backoff.
    public var attemptsUsed: Int
    /// Attempts allowed.
    public var maxAttempts: Int
    /// The validated spec.
    public var spec: JSONValue
    /// Queue it was claimed from.
    public var queue: String
    /// Its experiment, if any.
    public var experiment: String?
    /// When it was submitted.
    public var createdAt: Date
    /// When this attempt started.
    public var startedAt: Date
    /// True when the job was re-taken from a worker whose lease expired.
    public var retakenFromExpiredLease: Bool

    /// The fencing identity of this run.
    public var token: JobToken { JobToken(id: id, attempt: attempt) }
}

/// A job id with the attempt a worker holds: the key of every fenced write.
public struct JobToken: Sendable, Hashable, CustomStringConvertible {
    /// The job's id.
    public var id: Int64
    /// The attempt (fencing token) the writer holds.
    public var attempt: Int

    /// Creates a token.
    public init(id: Int64, attempt: Int) {
        self.id = id
        self.attempt = attempt
    }

    public var description: String { "job \(id) attempt \(attempt)" }
}

/// Who is claiming: the worker's identity, what it serves and what it offers.
public struct WorkerIdentity: Sendable, Hashable {
    /// Unique id of the worker process.
    public var id: String
    /// Queues it claims from.
    public var queues: [String]
    /// Kinds it has executors for.
    public var kinds: [JobKind]
    /// Backend, memory and labels, matched against job requirements.
    public var capabilities: WorkerCapabilities

    /// Creates an identity.
    public init(id: String, queues: [String], kinds: [JobKind], capabilities: WorkerCapabilities) {
        self.id = id
        self.queues = queues
        self.kinds = kinds
        self.capabilities = capabilities
    }
}
