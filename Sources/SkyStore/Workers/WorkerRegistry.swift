import Foundation
import Logging
public import PostgresNIO
import SkyCore

/// The `workers` table: who is running, where, with what, and when they last spoke.
public struct WorkerRegistry: Sendable {
    private let client: PostgresClient
    private let logger: Logger

    /// A registry over `client`.
    public init(client: PostgresClient, logger: Logger = Logger(label: "sky.workers")) {
        self.client = client
        self.logger = logger
    }

    /// Records a worker starting (or restarting under the same id).
    public func register(_ worker: WorkerIdentity, host: String, pid: Int, version: String, slots: Int) async throws {
        try await client.query(
            """
            INSERT INTO workers (id, host, pid, version, backend, memory_mb, labels, queues, kinds, slots)
            VALUES (\(worker.id), \(host), \(pid)::int, \(version), \(worker.capabilities.backend),
                    \(worker.capabilities.memoryMB)::int, \(worker.capabilities.labels), \(worker.queues),
                    \(worker.kinds.map(\.rawValue)), \(slots)::int)
            ON CONFLICT (id) DO UPDATE SET started_at = now(), heartbeat_at = now(), stopped_at = NULL,
                slots = EXCLUDED.slots, queues = EXCLUDED.queues, kinds = EXCLUDED.kinds
            """,
            logger: logger
        )
    }

    /// Records a worker's clean exit.
    public func markStopped(_ workerID: String) async throws {
        try await client.query(
            "UPDATE workers SET stopped_at = now(), slots_in_use = 0 WHERE id = \(workerID)", logger: logger)
    }

    /// Workers, live ones first; stopped ones only if `includeStopped`.
    public func list(includeStopped: Bool = false) async throws -> [WorkerRecord] {
        let rows = try await client.query(
            """
            SELECT w.id, w.host, w.pid, w.version, w.backend, w.memory_mb, w.labels, w.queues, w.kinds, w.slots,
                   w.slots_in_use, ARRAY(SELECT j.id FROM jobs j WHERE j.worker_id = w.id AND j.state = 'running' ORDER BY j.id),
                   w.started_at, w.heartbeat_at, w.stopped_at
            FROM workers w
            WHERE \(includeStopped) OR w.stopped_at IS NULL
            ORDER BY w.stopped_at IS NOT NULL, w.heartbeat_at DESC
            """,
            logger: logger)
        var workers: [WorkerRecord] = []
        for try await row in rows {
            let (id, host, pid, version, backend, memory, labels, queues, kinds, slots, inUse, running, started, beat, stopped) =
                try row.decode((String, String, Int, String, String, Int, [String], [String], [String], Int, Int, [Int64], Date, Date, Date?).self)
            workers.append(WorkerRecord(
                id: id, host: host, pid: pid, version: version, backend: backend, memoryMB: memory, labels: labels,
                queues: queues, kinds: kinds, slots: slots, slotsInUse: inUse, runningJobs: running, startedAt: started,
                heartbeatAt: beat, stoppedAt: stopped))
        }
        return workers
    }
}
