import Foundation
import Logging
import PostgresNIO
public import SkyCore

extension JobQueue {
    /// The job with `id`.
    public func job(_ id: Int64) async throws -> JobRecord {
        let rows = try await client.query(
            """
            SELECT id, kind, queue, state, priority::int, spec::text, attempt, attempt - uncharged_attempts, max_attempts,
                   run_after, worker_id, lease_expires_at, cancel_requested, idempotency_key, experiment, tags,
                   progress::float8, progress_message, result::text, error, created_at, started_at, finished_at,
                   ARRAY(SELECT depends_on FROM job_dependencies WHERE job_id = jobs.id ORDER BY depends_on)
            FROM jobs WHERE id = \(id)
            """,
            logger: logger
        )
        for try await row in rows {
            var cells = row.makeIterator()
            func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
                try cells.next()!.decode(T.self, context: .default)
            }
            func json(_ text: String?) -> JSONValue? { text.flatMap { try? JSONValue.parse(Data($0.utf8)) } }
            return JobRecord(
                id: try next(), kind: JobKind(rawValue: try next()) ?? .sleep, queue: try next(),
                state: JobState(rawValue: try next()) ?? .queued, priority: try next(),
                spec: json(try next(String.self)) ?? .null, attempt: try next(), attemptsUsed: try next(),
                maxAttempts: try next(), runAfter: try next(), workerID: try next(), leaseExpiresAt: try next(),
                cancelRequested: try next(), idempotencyKey: try next(), experiment: try next(), tags: try next(),
                progress: try next(), progressMessage: try next(), result: json(try next(String?.self)),
                error: try next(), createdAt: try next(), startedAt: try next(), finishedAt: try next(),
                dependsOn: try next()
            )
        }
        throw JobQueueError.notFound(id)
    }

    /// Every state change of job `id`, oldest first.
    public func events(of id: Int64) async throws -> [JobEvent] {
        let rows = try await client.query(
            "SELECT job_id, attempt, from_state, to_state, at, worker_id, reason FROM job_events WHERE job_id = \(id) ORDER BY id",
            logger: logger
        )
        var events: [JobEvent] = []
        for try await (job, attempt, from, to, at, worker, reason) in rows.decode((Int64, Int, String?, String, Date, String?, String?).self) {
            events.append(JobEvent(
                jobID: job, attempt: attempt, from: from.flatMap(JobState.init(rawValue:)),
                to: JobState(rawValue: to) ?? .queued, at: at, workerID: worker, reason: reason))
        }
        return events
    }

    /// Log lines of job `id`, oldest first, optionally for one attempt.
    public func logs(of id: Int64, attempt: Int? = nil, limit: Int = 1000) async throws -> [JobLogLine] {
        let rows = try await client.query(
            """
            SELECT attempt, at, level, message FROM job_logs
            WHERE job_id = \(id) AND (\(attempt)::int IS NULL OR attempt = \(attempt)::int)
            ORDER BY id LIMIT \(limit)
            """,
            logger: logger
        )
        var lines: [JobLogLine] = []
        for try await (attempt, at, level, message) in rows.decode((Int, Date, String, String).self) {
            lines.append(JobLogLine(token: JobToken(id: id, attempt: attempt), at: at, level: level, message: message))
        }
        return lines
    }

    /// The points of series `key` of job `id`, by step.
    public func metrics(of id: Int64, key: String) async throws -> [JobMetricPoint] {
        let rows = try await client.query(
            "SELECT attempt, step, value, at FROM job_metrics WHERE job_id = \(id) AND key = \(key) ORDER BY step, at",
            logger: logger
        )
        var points: [JobMetricPoint] = []
        for try await (attempt, step, value, at) in rows.decode((Int, Int, Double, Date).self) {
            points.append(JobMetricPoint(token: JobToken(id: id, attempt: attempt), key: key, step: step, value: value, at: at))
        }
        return points
    }

    /// How many jobs are in each state, optionally within one queue.
    public func countsByState(queue: String? = nil) async throws -> [JobState: Int] {
        let rows = try await client.query(
            "SELECT state, count(*) FROM jobs WHERE \(queue)::text IS NULL OR queue = \(queue)::text GROUP BY state",
            logger: logger
        )
        var counts: [JobState: Int] = [:]
        for try await (state, count) in rows.decode((String, Int).self) {
            if let state = JobState(rawValue: state) { counts[state] = count }
        }
        return counts
    }
}
