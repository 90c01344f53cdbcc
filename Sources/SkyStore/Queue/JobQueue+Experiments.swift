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

/// An experiment at a glance: its jobs by state and when it was last active.
public struct ExperimentSummary: Sendable, Hashable {
    public var name: String
    public var counts: [JobState: Int]
    /// First submission.
    public var createdAt: Date
    /// Latest submission, start or finish.
    public var updatedAt: Date

    /// Every job of the experiment.
    public var total: Int { counts.values.reduce(0, +) }
}

extension JobQueue {
    /// Every experiment, most recently active first.
    public func experiments() async throws -> [ExperimentSummary] {
        let rows = try await client.query(
            """
            SELECT experiment, state, count(*)::int, min(id), min(created_at),
                   max(GREATEST(created_at, COALESCE(started_at, created_at), COALESCE(finished_at, created_at)))
            FROM jobs WHERE experiment IS NOT NULL GROUP BY experiment, state
            """,
            logger: logger)
        var byName: [String: ExperimentSummary] = [:]
        for try await (name, state, count, first, created, updated) in rows.decode((String, String, Int, Int64, Date, Date).self) {
            var summary = byName[name] ?? ExperimentSummary(name: name, counts: [:], createdAt: created, updatedAt: updated)
            summary.counts[try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: first, column: "state")] = count
            summary.createdAt = min(summary.createdAt, created)
            summary.updatedAt = max(summary.updatedAt, updated)
            byName[name] = summary
        }
        return byName.values.sorted { ($0.updatedAt, $0.name) > ($1.updatedAt, $1.name) }
    }

    /// Every job of `experiment`, oldest first (at most `limit`).
    public func jobs(experiment: String, limit: Int = 10_000) async throws -> [JobRecord] {
        var bindings = PostgresBindings()
        bindings.append(experiment)
        bindings.append(limit)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.jobColumns) FROM jobs WHERE experiment = $1 ORDER BY id LIMIT $2", binds: bindings),
            logger: logger)
        var jobs: [JobRecord] = []
        for try await row in rows { jobs.append(try Self.decodeJob(row)) }
        return jobs
    }

    /// How many of an experiment's jobs are in each state.
    public func countsByState(experiment: String) async throws -> [JobState: Int] {
        let rows = try await client.query(
            "SELECT state, count(*), min(id) FROM jobs WHERE experiment = \(experiment) GROUP BY state", logger: logger)
        var counts: [JobState: Int] = [:]
        for try await (state, count, first) in rows.decode((String, Int, Int64).self) {
            counts[try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: first, column: "state")] = count
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
