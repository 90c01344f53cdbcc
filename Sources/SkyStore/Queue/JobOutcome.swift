public import SkyCore

/// How a worker's run of a job ended, written back under the run's fencing token.
public enum JobOutcome: Sendable, Hashable {
    /// Done; `result` becomes the job's output for dependents and users.
    case succeeded(result: JSONValue?)
    /// Failed; retried after `retryDelay` unless `permanent` or out of attempts.
    case failed(error: String, permanent: Bool, retryDelay: Duration)
    /// Stopped because cancellation was requested.
    case cancelled(reason: String)
    /// Given back unfinished (graceful shutdown): queued again without using up an attempt.
    case handedBack(reason: String)
}

/// One finished run to write back.
public struct JobCompletion: Sendable, Hashable {
    /// The run this is about.
    public var token: JobToken
    /// How it ended.
    public var outcome: JobOutcome

    /// Creates a completion.
    public init(token: JobToken, outcome: JobOutcome) {
        self.token = token
        self.outcome = outcome
    }
}
