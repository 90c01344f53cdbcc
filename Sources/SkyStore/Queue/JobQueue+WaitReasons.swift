import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Why each of the queued jobs among `ids` cannot be claimed by any live worker ("no live worker offers backend
    /// cuda"); jobs some live worker can claim, and jobs not queued, are absent. A job stays queued for such a
    /// worker to join, so this is what `skyctl show`, `skyctl status` and the web page say about it.
    ///
    /// Live: not stopped and heartbeated within `aliveSeconds`. The checks follow the claim's own rule.
    public func waitReasons(of ids: [Int64], aliveSeconds: Double = 60) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        // Per job, which of the claim's conditions some live worker meets, each on top of the ones before it
        // (queue and kind, then backend, then memory, then labels); the first none meets is the reason.
        let rows = try await client.query(
            """
            WITH live AS (
                SELECT queues, kinds, backend, memory_mb, labels FROM workers
                WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => \(aliveSeconds))
            ), reasons AS (
                SELECT j.id, CASE
                    WHEN met.workers = 0 THEN 'no live worker'
                    WHEN NOT met.serves THEN 'no live worker serves queue ' || j.queue || ' with kind ' || j.kind
                    WHEN NOT met.backend THEN 'no live worker offers backend ' || j.req_backend
                    WHEN NOT met.memory THEN 'no live worker offers ' || j.req_memory_mb || ' MiB'
                    WHEN NOT met.labels THEN 'no live worker has labels ' || array_to_string(j.req_labels, ', ')
                END AS reason
                FROM jobs j
                CROSS JOIN LATERAL (
                    SELECT count(*) AS workers, COALESCE(bool_or(s), false) AS serves, COALESCE(bool_or(s AND b), false) AS backend,
                           COALESCE(bool_or(s AND b AND m), false) AS memory, COALESCE(bool_or(s AND b AND m AND l), false) AS labels
                    FROM live w
                    CROSS JOIN LATERAL (
                        SELECT j.queue = ANY(w.queues) AND j.kind = ANY(w.kinds) AS s,
                               (j.req_backend IS NULL OR w.backend = j.req_backend) AS b,
                               w.memory_mb >= j.req_memory_mb AS m, j.req_labels <@ w.labels AS l
                    ) f
                ) met
                WHERE j.id = ANY(\(ids)) AND j.state = 'queued'
            )
            SELECT id, reason FROM reasons WHERE reason IS NOT NULL
            """,
            logger: logger)
        var reasons: [Int64: String] = [:]
        for try await (id, reason) in rows.decode((Int64, String).self) { reasons[id] = reason }
        return reasons
    }
}
