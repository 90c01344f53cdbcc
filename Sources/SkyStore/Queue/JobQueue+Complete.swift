import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Writes back a batch of finished runs in one transaction and returns the tokens that applied.
    ///
    /// A completion applies only while its job is still running at its attempt; one from a worker that lost
    /// its lease is silently rejected (absent from the result). Successes release dependents whose last
    /// dependency this was; failures and cancellations cancel every transitive dependent with the reason.
    @discardableResult
    public func complete(_ completions: [JobCompletion], workerID: String) async throws -> Set<JobToken> {
        guard !completions.isEmpty else { return [] }
        return try await transaction { connection in
            var applied = Set<JobToken>()
            var succeededWithDependents: [Int64] = []
            var finishedBadly: [Int64] = []
            var failed: [Int64] = []

            let successes = completions.compactMap { completion -> (JobToken, String)? in
                guard case .succeeded(let result) = completion.outcome else { return nil }
                return (completion.token, result.map { String(decoding: $0.encoded(), as: UTF8.self) } ?? "null")
            }
            if !successes.isEmpty {
                let rows = try await connection.query(
                    """
                    WITH done AS (
                        SELECT * FROM unnest(\(successes.map(\.0.id))::bigint[], \(successes.map(\.0.attempt))::int[],
                                             \(successes.map(\.1))::text[]) AS d(id, attempt, result)
                    ), locked AS (
                        -- In id order, as the heartbeat locks them (see heartbeat).
                        SELECT j.id FROM jobs j JOIN done ON j.id = done.id ORDER BY j.id FOR UPDATE OF j
                    ), updated AS (
                        UPDATE jobs j
                        SET state = 'succeeded', result = NULLIF(done.result, 'null')::jsonb, lease_expires_at = NULL,
                            finished_at = now(), progress = 1, error = NULL, transition_reason = 'finished'
                        FROM done JOIN locked ON locked.id = done.id
                        WHERE j.id = done.id AND j.attempt = done.attempt AND j.state = 'running'
                        RETURNING j.id, j.attempt
                    )
                    SELECT id, attempt, EXISTS (SELECT 1 FROM job_dependencies WHERE depends_on = updated.id) FROM updated
                    """,
                    logger: logger
                )
                for try await (id, attempt, hasDependents) in rows.decode((Int64, Int, Bool).self) {
                    applied.insert(JobToken(id: id, attempt: attempt))
                    if hasDependents { succeededWithDependents.append(id) }
                }
            }

            for completion in completions {
                let token = completion.token
                switch completion.outcome {
                case .succeeded:
                    continue
                case .failed(let error, let permanent, let delay):
                    let rows = try await connection.query(
                        """
                        WITH updated AS (
                            UPDATE jobs
                            SET state = CASE WHEN \(permanent) OR attempt - uncharged_attempts >= max_attempts
                                             THEN 'failed' ELSE 'queued' END,
                                error = \(error), lease_expires_at = NULL,
                                run_after = now() + make_interval(secs => \(delay.seconds)),
                                finished_at = CASE WHEN \(permanent) OR attempt - uncharged_attempts >= max_attempts
                                                   THEN now() END,
                                transition_reason = CASE WHEN \(permanent) OR attempt - uncharged_attempts >= max_attempts THEN ''
                                                         ELSE 'retry in ' || \(Int(delay.seconds.rounded()))::text || ' s: ' END || \(error)
                            WHERE id = \(token.id) AND attempt = \(token.attempt) AND state = 'running'
                            RETURNING id, attempt, state, queue
                        )
                        SELECT state, queue FROM updated
                        """,
                        logger: logger
                    )
                    for try await (state, _) in rows.decode((String, String).self) {
                        applied.insert(token)
                        if state == JobState.failed.rawValue { finishedBadly.append(token.id); failed.append(token.id) }
                    }
                case .cancelled(let reason):
                    if try await moveRunning(token, to: .cancelled, reason: reason, workerID: workerID, connection: connection) {
                        applied.insert(token)
                        finishedBadly.append(token.id)
                    }
                case .handedBack(let reason):
                    if try await moveRunning(token, to: .queued, reason: reason, workerID: workerID, connection: connection) {
                        applied.insert(token)
                    }
                }
            }
            // A new statement sees dependency rows committed by submitters that were waiting on our row locks.
            if !succeededWithDependents.isEmpty {
                try await releaseDependents(of: succeededWithDependents, connection: connection)
            }
            if !finishedBadly.isEmpty {
                try await cancelDependents(of: finishedBadly, failed: failed, connection: connection)
            }
            return applied
        }
    }

    /// Moves a running job at `token` to `queued` (handed back, attempt not charged) or `cancelled`.
    private func moveRunning(_ token: JobToken, to state: JobState, reason: String, workerID: String, connection: PostgresConnection) async throws -> Bool {
        let handBack = state == .queued
        let rows = try await connection.query(
            """
            WITH updated AS (
                UPDATE jobs
                SET state = \(state.rawValue), lease_expires_at = NULL,
                    uncharged_attempts = uncharged_attempts + CASE WHEN \(handBack) THEN 1 ELSE 0 END,
                    run_after = now(), worker_id = CASE WHEN \(handBack) THEN NULL ELSE worker_id END,
                    finished_at = CASE WHEN \(handBack) THEN NULL ELSE now() END,
                    error = CASE WHEN \(handBack) THEN error ELSE \(reason) END, transition_reason = \(reason)
                WHERE id = \(token.id) AND attempt = \(token.attempt) AND state = 'running'
                RETURNING id, attempt, queue
            )
            SELECT CASE WHEN \(handBack) THEN sky_notify_queues(array_agg(queue)) ELSE 0 END, count(*) FROM updated
            """,
            logger: logger
        )
        for try await (_, count) in rows.decode((Int, Int).self) { return count > 0 }
        return false
    }

    /// Counts down the pending dependencies of jobs waiting on `ids` and queues those with none left.
    func releaseDependents(of ids: [Int64], connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH counts AS (
                SELECT job_id, count(*)::int AS n FROM job_dependencies
                WHERE depends_on = ANY(\(ids)::bigint[]) GROUP BY job_id
            ), released AS (
                UPDATE jobs j
                SET pending_deps = j.pending_deps - counts.n,
                    state = CASE WHEN j.pending_deps - counts.n = 0 THEN 'queued' ELSE 'waiting' END,
                    transition_reason = CASE WHEN j.pending_deps - counts.n = 0 THEN 'dependencies succeeded' END,
                    run_after = GREATEST(j.run_after, now())
                FROM counts WHERE j.id = counts.job_id AND j.state = 'waiting'
                RETURNING j.id, j.state, j.queue
            )
            SELECT sky_notify_queues(array_agg(queue)) FROM released WHERE state = 'queued'
            """,
            logger: logger
        )
    }

    /// Cancels every waiting job that depends, directly or through others, on `ids`.
    func cancelDependents(of ids: [Int64], failed: [Int64], connection: PostgresConnection) async throws {
        try await connection.query(
            """
            WITH RECURSIVE doomed(id, cause) AS (
                SELECT job_id, depends_on FROM job_dependencies WHERE depends_on = ANY(\(ids)::bigint[])
                UNION
                SELECT d.job_id, d.depends_on FROM job_dependencies d JOIN doomed ON d.depends_on = doomed.id
            ), first_cause AS (
                SELECT DISTINCT ON (id) id, 'cancelled: dependency ' || cause::text
                       || CASE WHEN cause = ANY(\(failed)::bigint[]) THEN ' failed' ELSE ' was cancelled' END AS message
                FROM doomed ORDER BY id, cause
            )
            UPDATE jobs j
            SET state = 'cancelled', finished_at = now(), pending_deps = 0, error = first_cause.message,
                transition_reason = first_cause.message
            FROM first_cause WHERE j.id = first_cause.id AND j.state = 'waiting'
            """,
            logger: logger
        )
    }
}
