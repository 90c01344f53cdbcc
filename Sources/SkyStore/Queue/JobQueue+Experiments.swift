public import Foundation
import Logging
import PostgresNIO
public import SkyCore

/// When one job was submitted, started and finished.
public struct JobTimings: Sendable, Hashable {
    public var id: Int64
    public var createdAt: Date
    public var startedAt: Date?
    public var finishedAt: Date?
}

extension JobQueue {
    /// How many of an experiment's jobs are in each state.
    public func countsByState(experiment: String) async throws -> [JobState: Int] {
        let rows = try await client.query(
            "SELECT state, count(*) FROM jobs WHERE experiment = \(experiment) GROUP BY state", logger: logger)
        var counts: [JobState: Int] = [:]
        for try await (state, count) in rows.decode((String, Int).self) {
            if let state = JobState(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    /// Submission, start and finish times of an experiment's jobs, by id (database clock).
    public func timings(experiment: String) async throws -> [JobTimings] {
        let rows = try await client.query(
            "SELECT id, created_at, started_at, finished_at FROM jobs WHERE experiment = \(experiment) ORDER BY id",
            logger: logger)
        var timings: [JobTimings] = []
        for try await (id, created, started, finished) in rows.decode((Int64, Date, Date?, Date?).self) {
            timings.append(JobTimings(id: id, createdAt: created, startedAt: started, finishedAt: finished))
        }
        return timings
    }

    /// The server's durability settings (synchronous_commit, fsync), for benchmark reports.
    public func durabilitySettings() async throws -> String {
        let rows = try await client.query(
            "SELECT current_setting('synchronous_commit'), current_setting('fsync')", logger: logger)
        for try await (sync, fsync) in rows.decode((String, String).self) {
            return "synchronous_commit=\(sync), fsync=\(fsync)"
        }
        return ""
    }
}
