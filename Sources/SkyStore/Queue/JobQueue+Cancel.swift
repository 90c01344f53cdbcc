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
            let rows = try await connection.query("SELECT state, attempt FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let (rawState, attempt) = try await rows.decode((String, Int).self).first(where: { _ in true }),
                let state = JobState(rawValue: rawState)
            else { throw JobQueueError.notFound(id) }
            switch state {
            case .succeeded, .failed, .cancelled:
                throw JobQueueError.illegalState(id: id, state: state, operation: "cancel")
            case .waiting, .queued:
                try await connection.query(
                    """
                    WITH updated AS (
                        UPDATE jobs SET state = 'cancelled', finished_at = now(), pending_deps = 0, error = \(reason)
                        WHERE id = \(id) RETURNING id
                    )
                    INSERT INTO job_events (job_id, attempt, from_state, to_state, reason)
                    SELECT id, \(attempt), \(state.rawValue), 'cancelled', \(reason) FROM updated
                    """,
                    logger: logger
                )
                try await cancelDependents(of: [id], failed: [], connection: connection)
                return .cancelled
            case .running:
                try await connection.query(
                    "UPDATE jobs SET cancel_requested = true, error = \(reason) WHERE id = \(id)", logger: logger)
                try await connection.query(
                    """
                    INSERT INTO job_events (job_id, attempt, from_state, to_state, reason)
                    VALUES (\(id), \(attempt), 'running', 'running', 'cancel requested: ' || \(reason))
                    """,
                    logger: logger
                )
                try await connection.query("SELECT pg_notify(\(Self.cancelChannel), \(String(id)))", logger: logger)
                return .running
            }
        }
    }
}
