import Logging
import PostgresNIO
public import SkyCore

extension JobQueue {
    /// Cancels a job: waiting or queued ones at once (with their dependents), running ones by request.
    ///
    /// A running job gets `cancel_requested` and a NOTIFY; its worker stops it at the next safe point and
    /// records it cancelled. Returns the state the job is in afterwards. Cancelling a finished job is an error.
    @discardableResult
    public func cancel(_ id: Int64, reason: String = "cancelled by user") async throws -> JobState {
        try await transaction { connection in
            let rows = try await connection.query("SELECT state FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let rawState = try await rows.decode(String.self).first(where: { _ in true }) else { throw JobQueueError.notFound(id) }
            let state = try UnknownStoredValue.decode(JobState.self, rawState, table: "jobs", row: id, column: "state")
            switch state {
            case .succeeded, .failed, .cancelled:
                throw JobQueueError.illegalState(id: id, state: state, operation: "cancel")
            case .waiting, .queued:
                try await connection.query(
                    """
                    UPDATE jobs SET state = 'cancelled', finished_at = now(), pending_deps = 0, error = \(reason),
                                    transition_reason = \(reason)
                    WHERE id = \(id)
                    """,
                    logger: logger
                )
                try await cancelDependents(of: [id], failed: [], connection: connection)
                return .cancelled
            case .running:
                // No move, but an event: the job stays running until its worker stops it.
                try await connection.query(
                    """
                    UPDATE jobs SET cancel_requested = true, error = \(reason), transition_reason = 'cancel requested: ' || \(reason)
                    WHERE id = \(id)
                    """,
                    logger: logger)
                try await connection.query("SELECT pg_notify(\(Self.cancelChannel), \(String(id)))", logger: logger)
                return .running
            }
        }
    }
}
