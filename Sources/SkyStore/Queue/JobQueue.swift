public import Logging
public import PostgresNIO

/// The job queue: every SQL statement that moves a job, named after what it does.
///
/// Operations that touch several rows run as one statement or one transaction, so a crash never leaves a
/// job half-moved. Worker writes carry a `JobToken` and only apply while the job is still running at
/// that attempt.
public struct JobQueue: Sendable {
    /// NOTIFY channel carrying a queue name when jobs become claimable there.
    public static let jobsChannel = "sky_jobs"
    /// NOTIFY channel carrying a job id when its cancellation is requested.
    public static let cancelChannel = "sky_cancel"

    /// The connection pool every operation uses.
    public let client: PostgresClient
    let logger: Logger

    /// A queue over `client`, which the caller runs (`client.run()`).
    public init(client: PostgresClient, logger: Logger = Logger(label: "sky.queue")) {
        self.client = client
        self.logger = logger
    }
}

extension JobQueue {
    /// Runs `body` in a transaction; an error thrown by `body` reaches the caller as itself, not wrapped.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> sending Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }
}
