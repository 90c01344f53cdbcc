import Foundation
import Logging
import PostgresNIO
public import SkyCore

extension JobQueue {
    /// Appends log lines, metric points and progress in one transaction; writes from runs that no longer
    /// hold their job (lost lease, finished) are dropped, so a stale worker cannot pollute the next attempt.
    public func record(logs: [JobLogLine], metrics: [JobMetricPoint], progress: [JobProgress]) async throws {
        guard !(logs.isEmpty && metrics.isEmpty && progress.isEmpty) else { return }
        try await transaction { connection in
            if !logs.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO job_logs (job_id, attempt, at, level, message)
                    SELECT l.id, l.attempt, l.at, l.level, l.message
                    FROM unnest(\(logs.map(\.token.id))::bigint[], \(logs.map(\.token.attempt))::int[],
                                \(logs.map(\.at))::timestamptz[], \(logs.map(\.level))::text[], \(logs.map(\.message))::text[])
                         WITH ORDINALITY AS l(id, attempt, at, level, message, ord)
                    JOIN jobs j ON j.id = l.id AND j.attempt = l.attempt AND j.state = 'running'
                    ORDER BY l.ord
                    """,
                    logger: logger
                )
            }
            if !metrics.isEmpty {
                try await connection.query(
                    """
                    INSERT INTO job_metrics (job_id, attempt, key, step, value, at)
                    SELECT m.id, m.attempt, m.key, m.step, m.value, m.at
                    FROM unnest(\(metrics.map(\.token.id))::bigint[], \(metrics.map(\.token.attempt))::int[],
                                \(metrics.map(\.key))::text[], \(metrics.map(\.step))::bigint[],
                                \(metrics.map(\.value))::float8[], \(metrics.map(\.at))::timestamptz[])
                         AS m(id, attempt, key, step, value, at)
                    JOIN jobs j ON j.id = m.id AND j.attempt = m.attempt AND j.state = 'running'
                    """,
                    logger: logger
                )
            }
            if !progress.isEmpty {
                try await connection.query(
                    """
                    UPDATE jobs j SET progress = p.fraction, progress_message = NULLIF(p.message, '')
                    FROM unnest(\(progress.map(\.token.id))::bigint[], \(progress.map(\.token.attempt))::int[],
                                \(progress.map(\.fraction))::float8[], \(progress.map { $0.message ?? "" })::text[])
                         AS p(id, attempt, fraction, message)
                    WHERE j.id = p.id AND j.attempt = p.attempt AND j.state = 'running'
                    """,
                    logger: logger
                )
            }
        }
    }

    /// The results of the jobs `id` depends on, by job id, for an executor consuming its inputs.
    public func dependencyOutputs(of id: Int64) async throws -> [Int64: JSONValue] {
        let rows = try await client.query(
            """
            SELECT j.id, COALESCE(j.result::text, 'null') FROM job_dependencies d JOIN jobs j ON j.id = d.depends_on
            WHERE d.job_id = \(id)
            """,
            logger: logger
        )
        var outputs: [Int64: JSONValue] = [:]
        for try await (job, result) in rows.decode((Int64, String).self) { outputs[job] = (try? JSONValue.parse(Data(result.utf8))) ?? .null }
        return outputs
    }
}
