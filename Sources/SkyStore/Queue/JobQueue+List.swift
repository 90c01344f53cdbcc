import Foundation
import Logging
import PostgresNIO
public import SkyCore

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
        // The filter is bound once and referenced by position, so the listing is one round trip.
        var bindings = PostgresBindings()
        bindings.append(cursor)
        bindings.append(states)
        bindings.append(filter.kind?.rawValue)
        bindings.append(filter.queue)
        bindings.append(filter.experiment)
        bindings.append(filter.tag)
        bindings.append(filter.createdAfter)
        bindings.append(filter.createdBefore)
        bindings.append(limit + 1)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.jobColumns) FROM jobs
                    WHERE ($1::bigint IS NULL OR id < $1::bigint)
                      AND ($2::text[] IS NULL OR state = ANY($2::text[]))
                      AND ($3::text IS NULL OR kind = $3::text)
                      AND ($4::text IS NULL OR queue = $4::text)
                      AND ($5::text IS NULL OR experiment = $5::text)
                      AND ($6::text IS NULL OR $6::text = ANY(tags))
                      AND ($7::timestamptz IS NULL OR created_at > $7::timestamptz)
                      AND ($8::timestamptz IS NULL OR created_at < $8::timestamptz)
                    ORDER BY id DESC
                    LIMIT $9
                    """,
                binds: bindings),
            logger: logger)
        var jobs: [JobRecord] = []
        for try await row in rows { jobs.append(try Self.decodeJob(row)) }
        let more = jobs.count > limit
        if more { jobs.removeLast() }
        return JobPage(jobs: jobs, nextCursor: more ? jobs.last?.id : nil)
    }
}
