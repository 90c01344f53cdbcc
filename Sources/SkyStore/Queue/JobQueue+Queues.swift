import Foundation
import Logging
import PostgresNIO
public import SkyCore

/// One queue's state for operators: counts by state, the oldest queued job's age, whether it is paused.
public struct QueueSummary: Sendable, Hashable {
    public var name: String
    public var counts: [JobState: Int]
    /// Seconds the oldest claimable job has waited; nil when none waits.
    public var oldestQueuedAge: Double?
    public var paused: Bool

    /// Creates a summary.
    public init(name: String, counts: [JobState: Int], oldestQueuedAge: Double?, paused: Bool) {
        self.name = name
        self.counts = counts
        self.oldestQueuedAge = oldestQueuedAge
        self.paused = paused
    }
}

extension JobQueue {
    /// Stops workers claiming from `queue` (running jobs continue). Pausing a paused queue is harmless.
    public func pause(queue: String, by who: String? = nil, reason: String? = nil) async throws {
        try await client.query(
            "INSERT INTO queue_pauses (queue, paused_by, reason) VALUES (\(queue), \(who), \(reason)) ON CONFLICT (queue) DO NOTHING",
            logger: logger)
    }

    /// Lets workers claim from `queue` again and wakes them.
    public func resume(queue: String) async throws {
        try await client.query(
            """
            WITH resumed AS (DELETE FROM queue_pauses WHERE queue = \(queue) RETURNING queue)
            SELECT sky_notify_queues(array_agg(queue)) FROM resumed
            """,
            logger: logger)
    }

    /// Every queue that has jobs or is paused, with its counts.
    public func queues() async throws -> [QueueSummary] {
        let rows = try await client.query(
            """
            WITH names AS (SELECT DISTINCT queue FROM jobs UNION SELECT queue FROM queue_pauses)
            SELECT n.queue, s.state, COALESCE(s.count, 0),
                   (SELECT EXTRACT(EPOCH FROM now() - min(run_after))::float8 FROM jobs
                    WHERE queue = n.queue AND state = 'queued' AND run_after <= now()),
                   EXISTS (SELECT 1 FROM queue_pauses p WHERE p.queue = n.queue)
            FROM names n
            LEFT JOIN (SELECT queue, state, count(*) FROM jobs GROUP BY queue, state) s ON s.queue = n.queue
            ORDER BY n.queue
            """,
            logger: logger)
        var summaries: [String: QueueSummary] = [:]
        var order: [String] = []
        for try await (name, state, count, age, paused) in rows.decode((String, String?, Int, Double?, Bool).self) {
            if summaries[name] == nil {
                summaries[name] = QueueSummary(name: name, counts: [:], oldestQueuedAge: age, paused: paused)
                order.append(name)
            }
            if let state = state.flatMap(JobState.init(rawValue:)) { summaries[name]!.counts[state] = count }
        }
        return order.compactMap { summaries[$0] }
    }
}
