import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Inserts `count` already-finished sleep jobs in one transaction, to measure claiming beside a large history.
    public func fillWithFinishedJobs(count: Int, experiment: String) async throws {
        // Through the moves every job makes (migration 13 allows no other), so the history has its events too.
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO jobs (kind, queue, state, spec, experiment, created_at)
                SELECT 'sleep', 'history', 'queued', '{}'::jsonb, \(experiment), now() - interval '1 day'
                FROM generate_series(1, \(count))
                """,
                logger: logger)
            for (state, reason) in [("running", "claimed"), ("succeeded", "finished")] {
                try await connection.query(
                    """
                    UPDATE jobs SET state = \(state), attempt = 1, started_at = now() - interval '1 day',
                                    finished_at = CASE WHEN \(state) = 'succeeded' THEN now() - interval '1 day' END,
                                    lease_expires_at = CASE WHEN \(state) = 'running' THEN now() END,
                                    result = 'null'::jsonb, transition_reason = \(reason)
                    WHERE experiment = \(experiment) AND state IN ('queued', 'running')
                    """,
                    logger: logger)
            }
        }
        try await client.query("ANALYZE jobs", logger: logger)
    }

    /// The plan of the claim's queued-jobs scan (the body of `sky_claimable_jobs`, under the planner settings
    /// that function carries), with timings when `analyze`. Its row locks end with its own transaction.
    public func explainClaim(for worker: WorkerIdentity, limit: Int, analyze: Bool = false) async throws -> String {
        let explain = analyze ? "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)" : "EXPLAIN (COSTS OFF)"
        var body = ""
        var settings: [String] = []
        let rows = try await client.query(
            "SELECT prosrc, COALESCE(proconfig, '{}') FROM pg_proc WHERE proname = 'sky_claimable_jobs'", logger: logger)
        for try await (source, config) in rows.decode((String, [String]).self) {
            body = source
            settings = config
        }
        // The function's parameters, by name, become binds of the explained statement.
        for (index, name) in ["queues", "kinds", "backend", "memory_mb", "labels", "n"].enumerated() {
            body = body.replacingOccurrences(
                of: "(?<![A-Za-z_.])\(name)(?![A-Za-z_])", with: NSRegularExpression.escapedTemplate(for: "$\(index + 1)"), options: .regularExpression)
        }
        var binds = PostgresBindings()
        binds.append(worker.queues)
        binds.append(worker.kinds.map(\.rawValue))
        binds.append(worker.capabilities.backend)
        binds.append(worker.capabilities.memoryMB)
        binds.append(worker.capabilities.labels)
        binds.append(limit)
        let statement = PostgresQuery(unsafeSQL: "\(explain) \(body)", binds: binds)
        return try await transaction { connection in
            // The function's own SET clauses ("name=value"), so the plan shown is the plan it runs.
            for setting in settings {
                let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0].allSatisfy({ $0.isLetter || $0 == "_" }) else { continue }
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT set_config($1, $2, true)", binds: {
                        var binds = PostgresBindings()
                        binds.append(parts[0])
                        binds.append(parts[1])
                        return binds
                    }()),
                    logger: logger)
            }
            var lines: [String] = []
            for try await line in try await connection.query(statement, logger: logger).decode(String.self) { lines.append(line) }
            return lines.joined(separator: "\n")
        }
    }
}
