import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SkyCore
import SkyStore

extension SkyAPI {
    func addJobRoutes(to router: Router<SkyRequestContext>) {
        router.post("/v1/jobs") { request, context in
            try context.require(.submit)
            let body = try await JSONBody.read(request, limit: configuration.maxJSONBytes)
            var decoder = SubmissionDecoder()
            guard var item = decoder.decode(body, at: "", batch: false) else {
                throw APIProblem.invalid("invalid-submission", "the submission has \(decoder.issues.count) problem(s)", errors: decoder.issues)
            }
            if let key = request.headers[HTTPField.Name("Idempotency-Key")!] {
                if let field = item.submission.idempotencyKey, field != key {
                    throw APIProblem.invalid("invalid-submission", "the Idempotency-Key header and idempotencyKey field differ",
                                             errors: [SpecIssue("/idempotencyKey", "differs from the Idempotency-Key header")])
                }
                item.submission.idempotencyKey = key
            }
            let submission = item.submission
            let (submitted, job) = try await database {
                let submitted = try await queue.submit(submission)
                return (submitted, try await queue.job(submitted.id))
            }
            return JSONBody.response(
                APIRepresentation.job(job), status: submitted.created ? .created : .ok,
                headers: [.location: "/v1/jobs/\(job.id)"])
        }

        router.post("/v1/jobs/batch") { request, context in
            try context.require(.submit)
            let body = try await JSONBody.read(request, limit: configuration.maxJSONBytes)
            guard case .object(let fields) = body, case .array(let items)? = fields["jobs"] else {
                throw APIProblem.invalid("invalid-submission", "the body must be {\"jobs\": [...]}", errors: [SpecIssue("/jobs", "must be an array of submissions")])
            }
            var issues = fields.keys.filter { $0 != "jobs" }.sorted().map { SpecIssue("/\($0)", "unknown field") }
            guard (1...10_000).contains(items.count) else {
                throw APIProblem.invalid("invalid-submission", "a batch holds 1 to 10000 jobs", errors: [SpecIssue("/jobs", "must hold 1 to 10000 jobs, not \(items.count)")])
            }
            var decoder = SubmissionDecoder()
            var jobs: [BatchJob] = []
            for (index, item) in items.enumerated() {
                if let decoded = decoder.decode(item, at: "/jobs/\(index)", batch: true) {
                    jobs.append(BatchJob(decoded.submission, dependsOnIndex: decoded.dependsOnIndex))
                }
            }
            issues += decoder.issues
            guard issues.isEmpty else {
                throw APIProblem.invalid("invalid-submission", "the batch has \(issues.count) problem(s); nothing was stored", errors: issues)
            }
            let batch = jobs
            let submitted = try await database { try await queue.submitBatch(batch) }
            let results: [JSONValue] = submitted.map {
                .object(["id": .number(Double($0.id)), "state": .string($0.state.rawValue), "created": .bool($0.created)])
            }
            return JSONBody.response(.object(["jobs": .array(results)]), status: .created)
        }

        router.get("/v1/jobs") { request, context in
            let query = QueryParameters(request: request, context: context)
            let filter = JobFilter(
                states: try query.states(), kind: try query.kind(), queue: query.string("queue"),
                experiment: query.string("experiment"), tag: query.string("tag"),
                createdAfter: try query.time("createdAfter"), createdBefore: try query.time("createdBefore"))
            let limit = Int(try query.integer("limit", in: 1...1000) ?? 50)
            let cursor = try query.cursor()
            let page = try await database { try await queue.list(filter, after: cursor, limit: limit) }
            let queued = page.jobs.filter { $0.state == .queued }.map(\.id)
            let reasons = queued.isEmpty ? [:] : try await database { try await queue.waitReasons(of: queued) }
            let now = Date()
            return JSONBody.response(.object([
                "jobs": .array(page.jobs.map { APIRepresentation.job($0, now: now, waitingReason: reasons[$0.id]) }),
                "nextCursor": page.nextCursor.map { .string(String($0)) } ?? .null,
            ]))
        }

        router.get("/v1/jobs/:id") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let job = try await database { try await queue.job(id) }
            let reasons = job.state == .queued ? try await database { try await queue.waitReasons(of: [id]) } : [:]
            return JSONBody.response(APIRepresentation.job(job, waitingReason: reasons[id]))
        }

        router.post("/v1/jobs/:id/cancel") { request, context in
            try context.require(.submit)
            let id = try QueryParameters(request: request, context: context).pathID()
            let reason = try await optionalReason(request)
            let job = try await database {
                try await queue.cancel(id, reason: reason ?? "cancelled by \(context.token?.name ?? "user")")
                return try await queue.job(id)
            }
            return JSONBody.response(APIRepresentation.job(job))
        }

        router.post("/v1/jobs/:id/retry") { request, context in
            try context.require(.submit)
            let id = try QueryParameters(request: request, context: context).pathID()
            let job = try await database {
                try await queue.retry(id, reason: "retried by \(context.token?.name ?? "user")")
                return try await queue.job(id)
            }
            return JSONBody.response(APIRepresentation.job(job))
        }

        router.get("/v1/jobs/:id/events") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let events = try await database {
                try await queue.requireJob(id)
                return try await queue.events(of: id)
            }
            return JSONBody.response(.object(["events": .array(events.map(APIRepresentation.event))]))
        }

        router.get("/v1/jobs/:id/logs") { request, context in
            let query = QueryParameters(request: request, context: context)
            let id = try query.pathID()
            let attempt = try query.integer("attempt", in: 1...Int64(Int32.max)).map { Int($0) }
            let limit = Int(try query.integer("limit", in: 1...5000) ?? 1000)
            var cursor = try query.cursor()
            let follow = try query.boolean("follow") ?? (request.headers[.accept]?.contains("text/event-stream") ?? false)
            if follow {
                if let last = request.headers[HTTPField.Name("Last-Event-ID")!], let value = Int64(last) { cursor = value }
                try await database { try await queue.requireJob(id) }
                return followLogs(id: id, attempt: attempt, after: cursor)
            }
            let start = cursor
            let (lines, state) = try await database {
                let job = try await queue.job(id)
                return (try await queue.logPage(of: id, after: start, attempt: attempt, limit: limit), job.state)
            }
            let next = lines.last.map { String($0.id) } ?? start.map { String($0) }
            return JSONBody.response(.object([
                "lines": .array(lines.map { APIRepresentation.logLine(id: $0.id, $0.line) }),
                "nextCursor": next.map(JSONValue.string) ?? .null,
                "jobState": .string(state.rawValue),
            ]))
        }

        router.get("/v1/jobs/:id/metrics") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let points = try await database {
                try await queue.requireJob(id)
                return try await queue.latestMetrics(of: id)
            }
            return JSONBody.response(.object(["metrics": .array(points.map(APIRepresentation.metricPoint))]))
        }

        router.get("/v1/jobs/:id/metrics/:key") { request, context in
            let query = QueryParameters(request: request, context: context)
            let id = try query.pathID()
            let key = try query.pathString("key")
            let points = try await database {
                try await queue.requireJob(id)
                return try await queue.metrics(of: id, key: key)
            }
            return JSONBody.response(.object(["key": .string(key), "points": .array(points.map(APIRepresentation.metricPoint))]))
        }

        router.get("/v1/jobs/:id/artifacts") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let list = try await database {
                try await queue.requireJob(id)
                return try await artifacts.list(kind: nil, jobID: id, limit: 1000)
            }
            return JSONBody.response(.object(["artifacts": .array(list.reversed().map(APIRepresentation.artifact))]))
        }
    }

    /// The optional `{"reason": ...}` body of cancel and pause.
    func optionalReason(_ request: Request) async throws -> String? {
        guard request.headers[.contentLength].map({ $0 != "0" }) ?? (request.headers[.transferEncoding] != nil) else { return nil }
        let body = try await JSONBody.read(request, limit: 64 << 10)
        guard case .object(let fields) = body else {
            throw APIProblem.invalid("invalid-request", "the body must be an object", errors: [SpecIssue("", "must be an object")])
        }
        if let unknown = fields.keys.sorted().first(where: { $0 != "reason" }) {
            throw APIProblem.invalid("invalid-request", "unknown field '\(unknown)'; the body takes only reason",
                                     errors: [SpecIssue("/" + unknown.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1"),
                                                        "unknown field; expected reason")])
        }
        switch fields["reason"] {
        case nil, .null?: return nil
        case .string(let text)? where text.count <= 1000: return text
        default: throw APIProblem.invalid("invalid-request", "reason must be a string of at most 1000 characters", errors: [SpecIssue("/reason", "must be a string of at most 1000 characters")])
        }
    }

    /// Log lines as `log` events whose id is the line's cursor.
    private static func logEvents(_ lines: [(id: Int64, line: JobLogLine)]) -> String {
        lines.map { lineID, line in
            "event: log\nid: \(lineID)\ndata: \(String(decoding: APIRepresentation.logLine(id: lineID, line).encoded(), as: UTF8.self))\n\n"
        }.joined()
    }

    /// The server-sent event stream of a job's log, ending once the job is finished and every line was sent.
    private func followLogs(id: Int64, attempt: Int?, after start: Int64?) -> Response {
        let poll = configuration.logPollSeconds
        let queue = self.queue
        let body = ResponseBody { writer in
            var cursor = start
            var quietSince = ContinuousClock.now
            try await writer.write(ByteBuffer(string: "retry: 2000\n\n"))
            while !Task.isCancelled {
                let lines = try await queue.logPage(of: id, after: cursor, attempt: attempt, limit: 1000)
                if !lines.isEmpty {
                    try await writer.write(ByteBuffer(string: Self.logEvents(lines)))
                    cursor = lines.last?.id
                    quietSince = .now
                    if lines.count == 1000 { continue }
                }
                let job = try await queue.job(id)
                if job.state.isFinal {
                    // Lines written just before the finish are committed before it, so one more read gets them all.
                    let rest = try await queue.logPage(of: id, after: cursor, attempt: attempt, limit: 100_000)
                    var text = Self.logEvents(rest)
                    text += "event: end\ndata: \(String(decoding: APIRepresentation.job(job).encoded(), as: UTF8.self))\n\n"
                    try await writer.write(ByteBuffer(string: text))
                    break
                }
                if ContinuousClock.now - quietSince > .seconds(15) {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    quietSince = .now
                }
                try await Task.sleep(for: .seconds(poll))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: body)
    }
}
