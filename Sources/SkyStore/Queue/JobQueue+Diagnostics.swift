import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Inserts `count` already-finished sleep jobs in one statement, to measure claiming beside a large history.
    public func fillWithFinishedJobs(count: Int, experiment: String) async throws {
        try await client.query(
            """
            INSERT INTO jobs (kind, queue, state, spec, attempt, experiment, created_at, started_at, finished_at, result)
            SELECT 'sleep', 'history', 'succeeded', '{}'::jsonb, 1, \(experiment),
                   now() - interval '1 day', now() - interval '1 day', now() - interval '1 day', 'null'::jsonb
            FROM generate_series(1, \(count))
            """,
            logger: logger
        )
        try await client.query("ANALYZE jobs", logger: logger)
    }

    /// The plan PostgreSQL chooses for the claim statement's queued-jobs scan, with timings when `analyze`.
    public func explainClaim(for worker: WorkerIdentity, limit: Int, analyze: Bool = false) async throws -> String {
        let explain = analyze ? "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)" : "EXPLAIN (COSTS OFF)"
        // Same predicate, order and locking as the `ready` branch of `claim`, without changing anything.
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: """
                \(explain)
                SELECT id FROM jobs
                WHERE state = 'queued' AND run_after <= now()
                  AND queue = ANY($1::text[]) AND kind = ANY($2::text[])
                  AND (req_backend IS NULL OR req_backend = $3) AND req_memory_mb <= $4
                  AND req_labels <@ $5::text[]
                ORDER BY priority DESC, id
                LIMIT $6
                FOR UPDATE SKIP LOCKED
                """,
                binds: {
                    var binds = PostgresBindings()
                    binds.append(worker.queues)
                    binds.append(worker.kinds.map(\.rawValue))
                    binds.append(worker.capabilities.backend)
                    binds.append(worker.capabilities.memoryMB)
                    binds.append(worker.capabilities.labels)
                    binds.append(limit)
                    return binds
                }()),
            logger: logger
        )
        var lines: [String] = []
        for try await line in rows.decode(String.self) { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
