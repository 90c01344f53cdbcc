import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Claims up to `limit` jobs for `worker` in one statement, and starts their leases.
    ///
    /// Candidates are queued jobs whose `run_after` has passed, plus running jobs whose lease expired (their
    /// worker is presumed dead) with attempts left and no cancellation pending; both must be in the worker's
    /// queues and kinds and need no more than it offers. `FOR UPDATE SKIP LOCKED` lets any number of workers
    /// claim at once without blocking or double-claiming. Each claim bumps `attempt`, the fencing token.
    public func claim(for worker: WorkerIdentity, limit: Int, lease: Duration) async throws -> [ClaimedJob] {
        guard limit > 0 else { return [] }
        let queues = worker.queues
        let kinds = worker.kinds.map(\.rawValue)
        let backend = worker.capabilities.backend
        let memory = worker.capabilities.memoryMB
        let labels = worker.capabilities.labels
        let rows = try await client.query(
            """
            WITH expired AS (
                SELECT id, true AS retaken FROM jobs
                WHERE state = 'running' AND lease_expires_at < now() AND NOT cancel_requested
                  AND attempt - uncharged_attempts < max_attempts
                  AND queue = ANY(\(queues)::text[]) AND kind = ANY(\(kinds)::text[])
                  AND NOT EXISTS (SELECT 1 FROM queue_pauses p WHERE p.queue = jobs.queue)
                  AND (req_backend IS NULL OR req_backend = \(backend)) AND req_memory_mb <= \(memory)
                  AND req_labels <@ \(labels)::text[]
                ORDER BY priority DESC, id
                LIMIT \(limit)
                FOR UPDATE SKIP LOCKED
            ), ready AS (
                -- migrations/0004_claim_scan.sql: the same filters, with the index-order plan pinned.
                SELECT id, false AS retaken
                FROM sky_claimable_jobs(\(queues)::text[], \(kinds)::text[], \(backend), \(memory)::int, \(labels)::text[], \(limit)::int) AS id
            ), picked AS (
                (SELECT * FROM expired) UNION ALL (SELECT * FROM ready) LIMIT \(limit)
            ), claimed AS (
                UPDATE jobs j
                SET state = 'running', attempt = j.attempt + 1, worker_id = \(worker.id),
                    lease_expires_at = now() + make_interval(secs => \(lease.seconds)), started_at = now(),
                    progress = NULL, progress_message = NULL,
                    transition_reason = CASE WHEN picked.retaken THEN 'claimed after the previous lease expired' ELSE 'claimed' END
                FROM picked
                WHERE j.id = picked.id
                RETURNING j.id, j.kind, j.attempt, j.attempt - j.uncharged_attempts AS used, j.max_attempts,
                          j.spec::text AS spec, j.queue, j.experiment, j.created_at, j.started_at, picked.retaken,
                          j.priority
            )
            SELECT id, kind, attempt, used, max_attempts, spec, queue, experiment, created_at, started_at, retaken
            FROM claimed ORDER BY priority DESC, id
            """,
            logger: logger
        )
        var jobs: [ClaimedJob] = []
        for try await row in rows {
            let (id, kind, attempt, used, maxAttempts, spec, queue, experiment, createdAt, startedAt, retaken) =
                try row.decode((Int64, String, Int, Int, Int, String, String, String?, Date, Date, Bool).self)
            jobs.append(ClaimedJob(
                id: id, kind: try UnknownStoredValue.decode(JobKind.self, kind, table: "jobs", row: id, column: "kind"),
                attempt: attempt, attemptsUsed: used,
                maxAttempts: maxAttempts, spec: (try? JSONValue.parse(Data(spec.utf8))) ?? .null, queue: queue,
                experiment: experiment, createdAt: createdAt, startedAt: startedAt, retakenFromExpiredLease: retaken
            ))
        }
        return jobs
    }

    /// Extends the leases of the runs a worker still holds and records its heartbeat.
    ///
    /// Returns, among `tokens`, those still held (a missing one was lost: re-claimed or finished by someone
    /// else) and those whose cancellation was requested (the fallback when a NOTIFY was missed).
    public func heartbeat(workerID: String, tokens: [JobToken], lease: Duration, slotsInUse: Int) async throws -> (held: Set<JobToken>, cancelRequested: Set<JobToken>) {
        let ids = tokens.map(\.id)
        let attempts = tokens.map(\.attempt)
        let rows = try await client.query(
            """
            WITH mine AS (
                SELECT * FROM unnest(\(ids)::bigint[], \(attempts)::int[]) AS m(id, attempt)
            ), locked AS (
                -- In id order, as a completion batch locks them: the worker's flusher and its heartbeat run at once,
                -- and two batches locking the same rows in other orders deadlock (a soak saw it).
                SELECT j.id FROM jobs j JOIN mine ON j.id = mine.id ORDER BY j.id FOR UPDATE OF j
            ), extended AS (
                UPDATE jobs j SET lease_expires_at = now() + make_interval(secs => \(lease.seconds))
                FROM mine JOIN locked ON locked.id = mine.id
                WHERE j.id = mine.id AND j.attempt = mine.attempt AND j.state = 'running'
                RETURNING j.id, j.attempt, j.cancel_requested
            ), beat AS (
                UPDATE workers SET heartbeat_at = now(), slots_in_use = \(slotsInUse)::int WHERE id = \(workerID)
            )
            SELECT id, attempt, cancel_requested FROM extended
            """,
            logger: logger
        )
        var held = Set<JobToken>()
        var cancelRequested = Set<JobToken>()
        for try await (id, attempt, cancel) in rows.decode((Int64, Int, Bool).self) {
            let token = JobToken(id: id, attempt: attempt)
            held.insert(token)
            if cancel { cancelRequested.insert(token) }
        }
        return (held, cancelRequested)
    }
}

extension Duration {
    /// The duration in seconds, for `make_interval(secs => …)`.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) / 1e18
    }
}
