import Logging
import PostgresNIO
public import SkyCore

extension JobQueue {
    /// Runs a failed or cancelled job again as a new attempt of the same job, keeping its history.
    ///
    /// The job gets one more attempt than it has used (so a job that exhausted `maxAttempts` may run once
    /// more), and goes to `queued`, or `waiting` while a dependency is unfinished. A job whose dependency
    /// failed or was cancelled cannot run: retry that dependency first. Returns the new state.
    @discardableResult
    public func retry(_ id: Int64, reason: String = "retried by user") async throws -> JobState {
        try await transaction { connection in
            let rows = try await connection.query(
                "SELECT state, attempt - uncharged_attempts, queue FROM jobs WHERE id = \(id) FOR UPDATE", logger: logger)
            guard let (rawState, used, queue) = try await rows.decode((String, Int, String).self).first(where: { _ in true }) else {
                throw JobQueueError.notFound(id)
            }
            let state = try UnknownStoredValue.decode(JobState.self, rawState, table: "jobs", row: id, column: "state")
            guard state == .failed || state == .cancelled else {
                throw JobQueueError.illegalState(id: id, state: state, operation: "retry")
            }
            guard used < JobSubmission.maxAttemptsRange.upperBound else {
                throw JobQueueError.illegalState(id: id, state: state, operation: "retry (it has used every one of its \(used) attempts)")
            }
            // FOR SHARE, as at submission: a dependency finishing concurrently must see this job's new state.
            let deps = try await connection.query(
                """
                SELECT j.id, j.state FROM job_dependencies d JOIN jobs j ON j.id = d.depends_on
                WHERE d.job_id = \(id) ORDER BY j.id FOR SHARE OF j
                """,
                logger: logger)
            var pending = 0
            for try await (dependency, depState) in deps.decode((Int64, String).self) {
                switch try UnknownStoredValue.decode(JobState.self, depState, table: "jobs", row: dependency, column: "state") {
                case .failed, .cancelled:
                    throw JobQueueError.illegalState(
                        id: id, state: state, operation: "retry (its dependency \(dependency) is \(depState); retry that first)")
                case .succeeded: break
                case .waiting, .queued, .running: pending += 1
                }
            }
            let next: JobState = pending > 0 ? .waiting : .queued
            try await connection.query(
                """
                UPDATE jobs
                SET state = \(next.rawValue), pending_deps = \(pending), max_attempts = GREATEST(max_attempts, \(used + 1)),
                    error = NULL, result = NULL, finished_at = NULL, started_at = NULL, cancel_requested = false,
                    progress = NULL, progress_message = NULL, run_after = now(), worker_id = NULL, transition_reason = \(reason)
                WHERE id = \(id)
                """,
                logger: logger)
            if next == .queued {
                try await connection.query("SELECT sky_notify_queues(\([queue]))", logger: logger)
            }
            return next
        }
    }
}
