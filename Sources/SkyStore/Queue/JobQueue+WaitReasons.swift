import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Why each of the queued jobs among `ids` cannot be claimed by any live worker ("no live worker offers backend
    /// cuda"); jobs some live worker can claim, and jobs not queued, are absent. A job stays queued for such a
    /// worker to join, so this is what `skyctl show`, `skyctl status` and the web page say about it.
    ///
    /// Live: not stopped and heartbeated within `aliveSeconds`. The checks follow the claim's own rule (queue and
    /// kind, backend, memory, labels), each narrowing the workers the one before it left.
    public func waitReasons(of ids: [Int64], aliveSeconds: Double = 60) async throws -> [Int64: String] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            WITH live AS (
                SELECT queues, kinds, backend, memory_mb, labels FROM workers
                WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => \(aliveSeconds))
            ), reasons AS (
                SELECT j.id, CASE
                    WHEN NOT EXISTS (SELECT 1 FROM live) THEN 'no live worker'
                    WHEN NOT EXISTS (SELECT 1 FROM live w WHERE j.queue = ANY(w.queues) AND j.kind = ANY(w.kinds))
                        THEN 'no live worker serves queue ' || j.queue || ' with kind ' || j.kind
                    WHEN NOT EXISTS (SELECT 1 FROM live w WHERE j.queue = ANY(w.queues) AND j.kind = ANY(w.kinds)
                                     AND (j.req_backend IS NULL OR w.backend = j.req_backend))
                        THEN 'no live worker offers backend ' || j.req_backend
                    WHEN NOT EXISTS (SELECT 1 FROM live w WHERE j.queue = ANY(w.queues) AND j.kind = ANY(w.kinds)
                                     AND (j.req_backend IS NULL OR w.backend = j.req_backend) AND w.memory_mb >= j.req_memory_mb)
                        THEN 'no live worker offers ' || j.req_memory_mb || ' MiB'
                    WHEN NOT EXISTS (SELECT 1 FROM live w WHERE j.queue = ANY(w.queues) AND j.kind = ANY(w.kinds)
                                     AND (j.req_backend IS NULL OR w.backend = j.req_backend) AND w.memory_mb >= j.req_memory_mb
                                     AND j.req_labels <@ w.labels)
                        THEN 'no live worker has labels ' || array_to_string(j.req_labels, ', ')
                END AS reason
                FROM jobs j WHERE j.id = ANY(\(ids)) AND j.state = 'queued'
            )
            SELECT id, reason FROM reasons WHERE reason IS NOT NULL
            """,
            logger: logger)
        var reasons: [Int64: String] = [:]
        for try await (id, reason) in rows.decode((Int64, String).self) { reasons[id] = reason }
        return reasons
    }
}
