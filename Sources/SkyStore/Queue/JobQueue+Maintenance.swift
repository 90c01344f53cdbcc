import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Finishes running jobs whose lease expired and which no claim may re-take: out of attempts (→ failed)
    /// or cancellation requested (→ cancelled). Their dependents are cancelled. Returns how many it moved.
    ///
    /// Re-running expired jobs needs no maintenance (the claim statement re-takes them); this only keeps
    /// jobs that cannot run again from staying `running` forever.
    @discardableResult
    public func rescueExpired() async throws -> Int {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                WITH stuck AS (
                    SELECT id, CASE WHEN cancel_requested THEN COALESCE(error, 'cancelled')
                                    ELSE 'lease expired on the last attempt (worker ' || COALESCE(worker_id, '?') || ' stopped responding)' END
                               AS message
                    FROM jobs
                    WHERE state = 'running' AND lease_expires_at < now()
                      AND (cancel_requested OR attempt - uncharged_attempts >= max_attempts)
                    ORDER BY id LIMIT 1000
                    FOR UPDATE SKIP LOCKED
                ), updated AS (
                    UPDATE jobs j
                    SET state = CASE WHEN j.cancel_requested THEN 'cancelled' ELSE 'failed' END,
                        lease_expires_at = NULL, finished_at = now(), error = stuck.message, transition_reason = stuck.message
                    FROM stuck WHERE j.id = stuck.id
                    RETURNING j.id, j.state
                )
                SELECT id, state FROM updated
                """,
                logger: logger
            )
            var ids: [Int64] = []
            var failed: [Int64] = []
            for try await (id, state) in rows.decode((Int64, String).self) {
                ids.append(id)
                if state == JobState.failed.rawValue { failed.append(id) }
            }
            if !ids.isEmpty { try await cancelDependents(of: ids, failed: failed, connection: connection) }
            return ids.count
        }
    }

    /// Deletes finished jobs (with their events, logs and metrics) that finished more than `age` ago, in
    /// batches of `batchSize` so no statement holds locks for long. Jobs whose outputs an unfinished job
    /// still needs are kept. Returns how many jobs it deleted.
    @discardableResult
    public func prune(olderThan age: Duration, batchSize: Int = 1000, maxBatches: Int = .max) async throws -> Int {
        var total = 0
        for _ in 0..<maxBatches {
            let rows = try await client.query(
                """
                WITH doomed AS (
                    SELECT id FROM jobs
                    WHERE state IN ('succeeded', 'failed', 'cancelled')
                      AND finished_at < now() - make_interval(secs => \(age.seconds))
                      AND NOT EXISTS (
                          SELECT 1 FROM job_dependencies d JOIN jobs w ON w.id = d.job_id
                          WHERE d.depends_on = jobs.id AND w.state IN ('waiting', 'queued', 'running'))
                    ORDER BY finished_at
                    LIMIT \(batchSize)
                    FOR UPDATE SKIP LOCKED
                ), deleted AS (
                    DELETE FROM jobs WHERE id IN (SELECT id FROM doomed) RETURNING id
                )
                SELECT count(*) FROM deleted
                """,
                logger: logger
            )
            let deleted = try await rows.decode(Int.self).first(where: { _ in true }) ?? 0
            total += deleted
            if deleted < batchSize { break }
        }
        return total
    }
}
