import Foundation
import Logging
import PostgresNIO
public import SkyCore

extension JobQueue {
    /// The columns `decodeJob` reads, in its order; every query returning jobs selects these from `jobs`.
    static let jobColumns = """
        jobs.id, jobs.kind, jobs.name, jobs.queue, jobs.state, jobs.priority::int, jobs.spec::text, jobs.requirements::text,
        jobs.attempt, jobs.attempt - jobs.uncharged_attempts, jobs.max_attempts, jobs.run_after, jobs.worker_id,
        jobs.lease_expires_at, jobs.cancel_requested, jobs.idempotency_key, jobs.experiment, jobs.tags,
        jobs.progress::float8, jobs.progress_message, jobs.result::text, jobs.error, jobs.created_at, jobs.started_at,
        jobs.finished_at, ARRAY(SELECT depends_on FROM job_dependencies WHERE job_id = jobs.id ORDER BY depends_on)
        """

    /// Decodes a row selected with `jobColumns`.
    static func decodeJob(_ row: PostgresRow) throws -> JobRecord {
        var cells = row.makeIterator()
        func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
            try cells.next()!.decode(T.self, context: .default)
        }
        func json(_ text: String?) -> JSONValue? { text.flatMap { try? JSONValue.parse(Data($0.utf8)) } }
        let id: Int64 = try next(), kind: String = try next(), name: String? = try next(), queue: String = try next()
        let state: String = try next(), priority: Int = try next(), spec = json(try next(String.self)) ?? .null
        let requirements = try? JSONDecoder().decode(JobRequirements.self, from: Data(try next(String.self).utf8))
        return JobRecord(
            id: id, kind: try UnknownStoredValue.decode(JobKind.self, kind, table: "jobs", row: id, column: "kind"),
            name: name, queue: queue,
            state: try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: id, column: "state"),
            priority: priority, spec: spec,
            requirements: requirements ?? JobRequirements(), attempt: try next(), attemptsUsed: try next(),
            maxAttempts: try next(), runAfter: try next(), workerID: try next(), leaseExpiresAt: try next(),
            cancelRequested: try next(), idempotencyKey: try next(), experiment: try next(), tags: try next(),
            progress: try next(), progressMessage: try next(), result: json(try next(String?.self)),
            error: try next(), createdAt: try next(), startedAt: try next(), finishedAt: try next(),
            dependsOn: try next()
        )
    }

    /// The job with `id`.
    public func job(_ id: Int64) async throws -> JobRecord {
        var bindings = PostgresBindings()
        bindings.append(id)
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.jobColumns) FROM jobs WHERE id = $1", binds: bindings), logger: logger)
        for try await row in rows { return try Self.decodeJob(row) }
        throw JobQueueError.notFound(id)
    }

    /// Throws `notFound` unless job `id` exists; for reads whose empty answer would hide a wrong id.
    public func requireJob(_ id: Int64) async throws {
        let rows = try await client.query("SELECT 1 FROM jobs WHERE id = \(id)", logger: logger)
        for try await _ in rows { return }
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
                jobID: job, attempt: attempt,
                from: try from.map { try UnknownStoredValue.decode(JobState.self, $0, table: "job_events of job", row: job, column: "from_state") },
                to: try UnknownStoredValue.decode(JobState.self, to, table: "job_events of job", row: job, column: "to_state"),
                at: at, workerID: worker, reason: reason))
        }
        return events
    }

    /// Log lines of job `id`, oldest first, optionally for one attempt.
    public func logs(of id: Int64, attempt: Int? = nil, limit: Int = 1000) async throws -> [JobLogLine] {
        try await logPage(of: id, after: nil, attempt: attempt, limit: limit).map(\.line)
    }

    /// Up to `limit` log lines of job `id` after the line with id `cursor`, each with its id (the cursor
    /// for the next page). Line ids only grow, so a follower that polls with the last id misses nothing.
    public func logPage(of id: Int64, after cursor: Int64?, attempt: Int? = nil, limit: Int = 1000) async throws -> [(id: Int64, line: JobLogLine)] {
        let rows = try await client.query(
            """
            SELECT id, attempt, at, level, message FROM job_logs
            WHERE job_id = \(id) AND id > \(cursor ?? 0) AND (\(attempt)::int IS NULL OR attempt = \(attempt)::int)
            ORDER BY id LIMIT \(max(1, limit))
            """,
            logger: logger
        )
        var lines: [(id: Int64, line: JobLogLine)] = []
        for try await (lineID, attempt, at, level, message) in rows.decode((Int64, Int, Date, String, String).self) {
            lines.append((lineID, JobLogLine(token: JobToken(id: id, attempt: attempt), at: at, level: level, message: message)))
        }
        return lines
    }

    /// The latest point of every series of job `id`: the highest step, the latest attempt on ties.
    public func latestMetrics(of id: Int64) async throws -> [JobMetricPoint] {
        let rows = try await client.query(
            """
            SELECT DISTINCT ON (key) key, attempt, step, value, at FROM job_metrics
            WHERE job_id = \(id) ORDER BY key, step DESC, attempt DESC, at DESC
            """,
            logger: logger
        )
        var points: [JobMetricPoint] = []
        for try await (key, attempt, step, value, at) in rows.decode((String, Int, Int, Double, Date).self) {
            points.append(JobMetricPoint(token: JobToken(id: id, attempt: attempt), key: key, step: step, value: value, at: at))
        }
        return points
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
            "SELECT state, count(*), min(id) FROM jobs WHERE \(queue)::text IS NULL OR queue = \(queue)::text GROUP BY state",
            logger: logger
        )
        var counts: [JobState: Int] = [:]
        for try await (state, count, first) in rows.decode((String, Int, Int64).self) {
            counts[try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: first, column: "state")] = count
        }
        return counts
    }
}
