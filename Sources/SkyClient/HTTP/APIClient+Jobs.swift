import AsyncHTTPClient
import Foundation
import NIOHTTP1
public import SkyCore

extension APIClient {
    /// POST /v1/jobs: submits one job; an idempotency key that matched returns the earlier job.
    public func submit(_ job: NewJob, idempotencyKey: String? = nil) async throws -> Job {
        var request = try withJSONBody(makeRequest(.POST, "/v1/jobs"), job)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        return try await json(Job.self, request)
    }

    /// POST /v1/jobs with a submission already in JSON form (as `skyctl submit` builds it from a file).
    public func submit(_ body: JSONValue, idempotencyKey: String? = nil) async throws -> Job {
        var request = try withJSONBody(makeRequest(.POST, "/v1/jobs"), body)
        if let idempotencyKey { request.headers.add(name: "Idempotency-Key", value: idempotencyKey) }
        return try await json(Job.self, request)
    }

    /// POST /v1/jobs/batch: submits `body` (`{"jobs": [...]}`, with `dependsOnIndex` and `$N` references) in one transaction.
    public func submitBatch(_ body: JSONValue) async throws -> [BatchResultItem] {
        try await json(BatchResult.self, withJSONBody(makeRequest(.POST, "/v1/jobs/batch"), body)).jobs
    }

    /// POST /v1/jobs/batch with typed submissions, none depending on another.
    public func submitBatch(_ jobs: [NewJob]) async throws -> [BatchResultItem] {
        try await json(BatchResult.self, withJSONBody(makeRequest(.POST, "/v1/jobs/batch"), ["jobs": jobs])).jobs
    }

    /// GET /v1/jobs: one page, newest first.
    public func jobs(_ filter: JobFilter = JobFilter(), limit: Int? = nil, cursor: String? = nil) async throws -> JobPage {
        try await json(JobPage.self, makeRequest(.GET, "/v1/jobs", query: filter.queryItems + [("limit", limit.map(String.init)), ("cursor", cursor)]))
    }

    /// Up to `maximum` jobs, newest first, following cursors across pages.
    public func allJobs(_ filter: JobFilter = JobFilter(), maximum: Int = 1000) async throws -> [Job] {
        var jobs: [Job] = []
        var cursor: String?
        repeat {
            let page = try await self.jobs(filter, limit: min(1000, maximum - jobs.count), cursor: cursor)
            jobs += page.jobs
            cursor = page.nextCursor
        } while cursor != nil && jobs.count < maximum
        return jobs
    }

    /// GET /v1/jobs/{id}.
    public func job(_ id: Int64) async throws -> Job {
        try await json(Job.self, makeRequest(.GET, "/v1/jobs/\(id)"))
    }

    /// POST /v1/jobs/{id}/cancel: the job after the request (`cancelRequested` while a running one stops).
    public func cancel(_ id: Int64, reason: String? = nil) async throws -> Job {
        var request = makeRequest(.POST, "/v1/jobs/\(id)/cancel")
        if let reason { request = try withJSONBody(request, ["reason": reason]) }
        return try await json(Job.self, request)
    }

    /// POST /v1/jobs/{id}/retry: runs a failed or cancelled job again.
    public func retry(_ id: Int64) async throws -> Job {
        try await json(Job.self, makeRequest(.POST, "/v1/jobs/\(id)/retry"))
    }

    /// GET /v1/jobs/{id}/events: every state change, oldest first.
    public func events(_ id: Int64) async throws -> [JobEvent] {
        struct Events: Decodable { var events: [JobEvent] }
        return try await json(Events.self, makeRequest(.GET, "/v1/jobs/\(id)/events")).events
    }

    /// GET /v1/jobs/{id}/logs: lines after `cursor`, oldest first.
    public func logs(_ id: Int64, after cursor: String? = nil, attempt: Int? = nil, limit: Int? = nil) async throws -> LogPage {
        try await json(LogPage.self, makeRequest(.GET, "/v1/jobs/\(id)/logs", query: [
            ("cursor", cursor), ("attempt", attempt.map(String.init)), ("limit", limit.map(String.init)),
        ]))
    }

    /// GET /v1/jobs/{id}/metrics: the latest point of every key.
    public func latestMetrics(_ id: Int64) async throws -> [MetricPoint] {
        struct Metrics: Decodable { var metrics: [MetricPoint] }
        return try await json(Metrics.self, makeRequest(.GET, "/v1/jobs/\(id)/metrics")).metrics
    }

    /// GET /v1/jobs/{id}/metrics/{key}: one series by step (empty when the job never wrote the key).
    public func metricSeries(_ id: Int64, key: String) async throws -> MetricSeries {
        try await json(MetricSeries.self, makeRequest(.GET, "/v1/jobs/\(id)/metrics/\(Self.percentEncoded(key))"))
    }

    /// GET /v1/jobs/{id}/artifacts: what the job produced, oldest first.
    public func jobArtifacts(_ id: Int64) async throws -> [Artifact] {
        try await json(ArtifactList.self, makeRequest(.GET, "/v1/jobs/\(id)/artifacts")).artifacts
    }
}

struct ArtifactList: Decodable {
    var artifacts: [Artifact]
}
