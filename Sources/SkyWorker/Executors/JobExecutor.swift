public import SkyCore

/// Runs jobs of one kind. Executors live in SkyJobs; the worker runtime knows only this protocol.
public protocol JobExecutor: Sendable {
    /// The kind this executor runs.
    var kind: JobKind { get }
    /// Runs one attempt and returns the job's result (its output for dependents), or throws.
    ///
    /// Throw `PermanentJobError` for failures a retry cannot fix (invalid input); anything else is retried
    /// with backoff while attempts remain. Honour task cancellation at safe points (`context.checkCancellation()`).
    func run(_ context: JobContext) async throws -> JSONValue?
}

/// A failure no retry can fix (invalid spec, missing input): the job fails at once.
public struct PermanentJobError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var message: String

    /// Creates the error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
