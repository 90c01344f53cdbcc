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
}
