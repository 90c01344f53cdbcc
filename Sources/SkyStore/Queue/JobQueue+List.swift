public import Foundation
import Logging
import PostgresNIO
public import SkyCore

/// Which jobs to list; every field narrows the result, nil means any.
public struct JobFilter: Sendable, Hashable {
    public var states: [JobState]?
    public var kind: JobKind?
    public var queue: String?
    public var experiment: String?
    public var tag: String?
    public var createdAfter: Date?
    public var createdBefore: Date?

    /// A filter; the defaults match every job.
    public init(states: [JobState]? = nil, kind: JobKind? = nil, queue: String? = nil, experiment: String? = nil,
                tag: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil) {
        self.states = states
        self.kind = kind
        self.queue = queue
        self.experiment = experiment
        self.tag = tag
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
    }
}

/// One page of a job listing, newest first, and the cursor for the next page.
public struct JobPage: Sendable, Hashable {
    public var jobs: [JobRecord]
    /// Pass as `after` to get the next page; nil on the last page.
    public var nextCursor: Int64?
}

extension JobQueue {
    /// Jobs matching `filter`, newest first, `limit` at a time. Keyset pagination on the id, so pages stay
    /// consistent while jobs are added and cost the same however deep the page.
    public func list(_ filter: JobFilter = JobFilter(), after cursor: Int64? = nil, limit: Int = 50) async throws -> JobPage {
        let limit = max(1, min(limit, 1000))
        let states = filter.states?.map(\.rawValue)
        let rows = try await client.query(
            """
            SELECT id FROM jobs
            WHERE (\(cursor)::bigint IS NULL OR id < \(cursor)::bigint)
              AND (\(states)::text[] IS NULL OR state = ANY(\(states)::text[]))
              AND (\(filter.kind?.rawValue)::text IS NULL OR kind = \(filter.kind?.rawValue)::text)
              AND (\(filter.queue)::text IS NULL OR queue = \(filter.queue)::text)
              AND (\(filter.experiment)::text IS NULL OR experiment = \(filter.experiment)::text)
              AND (\(filter.tag)::text IS NULL OR \(filter.tag)::text = ANY(tags))
              AND (\(filter.createdAfter)::timestamptz IS NULL OR created_at > \(filter.createdAfter)::timestamptz)
              AND (\(filter.createdBefore)::timestamptz IS NULL OR created_at < \(filter.createdBefore)::timestamptz)
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """,
            logger: logger)
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        let more = ids.count > limit
        var jobs: [JobRecord] = []
        for id in ids.prefix(limit) { jobs.append(try await job(id)) }
        return JobPage(jobs: jobs, nextCursor: more ? ids[limit - 1] : nil)
    }
}
