import Foundation
import HTTPTypes
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

@Suite struct JobRoutesTests {
    @Test func submitGetAndIdempotency() async throws {
        try await withAPI { api in
            let created = try await api.request(.post, "/v1/jobs", json: .sleepJob(extra: [
                "name": .string("nap"), "experiment": .string("exp"), "tags": .array([.string("a")]), "priority": .number(5),
                "requirements": .object(["backend": .string("cpu"), "minMemoryMB": .number(512)]),
            ]))
            #expect(created.status == .created)
            let id = try #require(created.json["id"]?.numberValue)
            #expect(created.headers[.location] == "/v1/jobs/\(Int(id))")
            #expect(created.json["state"]?.stringValue == "queued")
            #expect(created.json["spec"]?["failPermanently"] == .bool(false), "defaults are filled in")
            #expect(created.json["requirements"]?["minMemoryMB"]?.numberValue == 512)

            let fetched = try await api.request(.get, "/v1/jobs/\(Int(id))", token: api.reader)
            #expect(fetched.status == .ok)
            #expect(fetched.json["name"]?.stringValue == "nap")
            #expect(fetched.json["priority"]?.numberValue == 5)
            // No worker runs beside this API: the queued job says why it waits.
            #expect(fetched.json["waitingReason"]?.stringValue == "no live worker")

            let key = JSONValue.sleepJob(extra: ["idempotencyKey": .string("k-1")])
            let first = try await api.request(.post, "/v1/jobs", json: key)
            let again = try await api.request(.post, "/v1/jobs", json: key)
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(again.json["id"] == first.json["id"])
            let header = try await api.request(.post, "/v1/jobs", json: .sleepJob(), headers: [HTTPField.Name("Idempotency-Key")!: "k-1"])
            #expect(header.json["id"] == first.json["id"])
        }
    }

    @Test func invalidSubmissionsSayWhereAndStoreNothing() async throws {
        try await withAPI { api in
            let spec = try await api.request(.post, "/v1/jobs", json: .object([
                "kind": .string("sleep"), "spec": .object(["durationSeconds": .number(-1), "failureProbability": .number(2)]),
            ]))
            #expect(spec.status == .unprocessableContent)
            #expect(spec.problem == "invalid-spec")
            #expect(Set(spec.pointers) == ["/spec/durationSeconds", "/spec/failureProbability"])

            let envelope = try await api.request(.post, "/v1/jobs", json: .object([
                "kind": .string("dance"), "spec": .object([:]), "priority": .string("high"), "colour": .bool(true),
            ]))
            #expect(envelope.status == .unprocessableContent)
            #expect(Set(envelope.pointers) == ["/kind", "/priority", "/colour"])

            let range = try await api.request(.post, "/v1/jobs", json: .sleepJob(extra: ["priority": .number(5000), "maxAttempts": .number(0)]))
            #expect(Set(range.pointers) == ["/priority", "/maxAttempts"])

            let malformed = try await api.request(.post, "/v1/jobs", body: Data("{\"kind\": \"sleep\",\n  \"spec\": {,}}".utf8),
                                                  headers: [.contentType: "application/json"])
            #expect(malformed.status == .badRequest)
            #expect(malformed.problem == "malformed-json")
            #expect(malformed.json["detail"]?.stringValue?.contains("line 2, column 12") == true, "\(malformed.text)")

            let empty = try await api.request(.post, "/v1/jobs", body: Data(), headers: [.contentType: "application/json"])
            #expect(empty.status == .badRequest)

            let form = try await api.request(.post, "/v1/jobs", body: Data("a=b".utf8), headers: [.contentType: "application/x-www-form-urlencoded"])
            #expect(form.status == .unsupportedMediaType)

            let dependency = try await api.request(.post, "/v1/jobs", json: .sleepJob(extra: ["dependsOn": .array([.number(999_999)])]))
            #expect(dependency.status == .unprocessableContent)
            #expect(dependency.pointers == ["/dependsOn/0"])

            let listing = try await api.request(.get, "/v1/jobs")
            #expect(listing.json["jobs"] == .array([]), "no invalid submission left a row")
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await withAPI(configuration: .init(port: 0, maxJSONBytes: 1024, databaseTimeoutSeconds: 60)) { api in
            let big = JSONValue.sleepJob(extra: ["name": .string(String(repeating: "x", count: 4000))])
            let response = try await api.request(.post, "/v1/jobs", json: big)
            #expect(response.status == .contentTooLarge)
            #expect(response.problem == "body-too-large")
        }
    }

    @Test func batchesResolveReferencesAndAreAllOrNothing() async throws {
        try await withAPI { api in
            let batch: JSONValue = .object(["jobs": .array([
                .sleepJob(extra: ["experiment": .string("grid")]),
                .sleepJob(extra: ["experiment": .string("grid"), "dependsOnIndex": .array([.number(0)])]),
                .object([
                    "kind": .string("perturb"), "experiment": .string("grid"),
                    "spec": .object(["dataset": .object(["fromJob": .string("$1")])]),
                ]),
            ])])
            let created = try await api.request(.post, "/v1/jobs/batch", json: batch)
            #expect(created.status == .created, "\(created.text)")
            let ids = (0..<3).map { Int64(created.json["jobs"]?[$0]?["id"]?.numberValue ?? -1) }
            #expect(created.json["jobs"]?[1]?["state"]?.stringValue == "waiting")
            let third = try await api.request(.get, "/v1/jobs/\(ids[2])")
            #expect(third.json["spec"]?["dataset"]?["fromJob"]?.numberValue == Double(ids[1]))
            #expect(third.json["dependsOn"] == .array([.number(Double(ids[1]))]))
            let second = try await api.request(.get, "/v1/jobs/\(ids[1])")
            #expect(second.json["dependsOn"] == .array([.number(Double(ids[0]))]))

            let bad: JSONValue = .object(["jobs": .array([
                .sleepJob(),
                .sleepJob(extra: ["dependsOnIndex": .array([.number(5)])]),
                .object(["kind": .string("sleep"), "spec": .object(["durationSeconds": .string("x")])]),
            ])])
            let refused = try await api.request(.post, "/v1/jobs/batch", json: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.pointers.contains("/jobs/1/dependsOnIndex/0"))
            #expect(refused.pointers.contains { $0.hasPrefix("/jobs/2/spec") })
            let all = try await api.request(.get, "/v1/jobs?limit=100")
            if case .array(let jobs)? = all.json["jobs"] { #expect(jobs.count == 3, "the refused batch stored nothing") }
        }
    }

    @Test func listingFiltersAndPages() async throws {
        try await withAPI { api in
            var ids: [Int64] = []
            for index in 0..<7 {
                ids.append(try await api.submit(.sleepJob(extra: [
                    "experiment": .string(index % 2 == 0 ? "even" : "odd"), "tags": .array([.string("t\(index % 3)")]),
                ])))
            }
            var seen: [Int64] = []
            var cursor: String?
            repeat {
                let page = try await api.request(.get, "/v1/jobs?limit=3" + (cursor.map { "&cursor=\($0)" } ?? ""))
                guard case .array(let jobs)? = page.json["jobs"] else { Issue.record("no jobs"); return }
                #expect(jobs.count <= 3)
                seen += jobs.compactMap { $0["id"]?.numberValue.map(Int64.init) }
                cursor = page.json["nextCursor"]?.stringValue
            } while cursor != nil
            #expect(seen == ids.reversed(), "pages are newest first, without gaps or repeats")

            let even = try await api.request(.get, "/v1/jobs?experiment=even")
            if case .array(let jobs)? = even.json["jobs"] { #expect(jobs.count == 4) }
            let tagged = try await api.request(.get, "/v1/jobs?tag=t0&state=queued,running")
            if case .array(let jobs)? = tagged.json["jobs"] { #expect(jobs.count == 3) }
            let future = try await api.request(.get, "/v1/jobs?createdAfter=2999-01-01T00:00:00Z")
            #expect(future.json["jobs"] == .array([]))
            let badState = try await api.request(.get, "/v1/jobs?state=sleeping")
            #expect(badState.status == .badRequest)
            let badLimit = try await api.request(.get, "/v1/jobs?limit=0")
            #expect(badLimit.status == .badRequest)
        }
    }

    @Test func cancelRetryAndStateConflicts() async throws {
        try await withAPI { api in
            let id = try await api.submit(.sleepJob())
            let cancelled = try await api.request(.post, "/v1/jobs/\(id)/cancel", json: .object(["reason": .string("not needed")]))
            #expect(cancelled.status == .ok)
            #expect(cancelled.json["state"]?.stringValue == "cancelled")
            #expect(cancelled.json["error"]?.stringValue == "not needed")
            let again = try await api.request(.post, "/v1/jobs/\(id)/cancel")
            #expect(again.status == .conflict)
            #expect(again.problem == "illegal-state")

            let retried = try await api.request(.post, "/v1/jobs/\(id)/retry")
            #expect(retried.status == .ok)
            #expect(retried.json["state"]?.stringValue == "queued")
            #expect(retried.json["error"] == .null)
            let twice = try await api.request(.post, "/v1/jobs/\(id)/retry")
            #expect(twice.status == .conflict)

            // A job that used all its attempts runs once more after a retry.
            let worker = WorkerIdentity.test(queues: ["q-fail"])
            let failing = try await api.submit(.sleepJob(extra: ["maxAttempts": .number(1), "queue": .string("q-fail")]))
            _ = try await api.db.queue.claim(for: worker, limit: 10, lease: .seconds(30))
            let claimed = try await api.db.queue.job(failing)
            try await api.db.queue.complete(
                [JobCompletion(token: JobToken(id: failing, attempt: claimed.attempt), outcome: .failed(error: "boom", permanent: false, retryDelay: .zero))],
                workerID: worker.id)
            #expect(try await api.db.queue.job(failing).state == .failed)
            let revived = try await api.request(.post, "/v1/jobs/\(failing)/retry")
            #expect(revived.json["state"]?.stringValue == "queued")
            #expect(revived.json["maxAttempts"]?.numberValue == 2)

            let events = try await api.request(.get, "/v1/jobs/\(id)/events")
            guard case .array(let list)? = events.json["events"] else { Issue.record("no events"); return }
            #expect(list.map { $0["to"]?.stringValue } == ["queued", "cancelled", "queued"])

            #expect(try await api.request(.post, "/v1/jobs/424242/cancel").status == .notFound)
            #expect(try await api.request(.post, "/v1/jobs/424242/retry").status == .notFound)
            #expect(try await api.request(.get, "/v1/jobs/424242").status == .notFound)
            #expect(try await api.request(.get, "/v1/jobs/424242/events").status == .notFound)
            #expect(try await api.request(.get, "/v1/jobs/abc").status == .badRequest)
        }
    }

    @Test func logsAndMetricsPageAndSummarise() async throws {
        try await withAPI { api in
            let id = try await api.submit(.sleepJob())
            let worker = WorkerIdentity.test()
            _ = try await api.db.queue.claim(for: worker, limit: 1, lease: .seconds(30))
            let token = JobToken(id: id, attempt: 1)
            try await api.db.queue.record(
                logs: (1...5).map { JobLogLine(token: token, level: "info", message: "line \($0)") },
                metrics: [
                    JobMetricPoint(token: token, key: "train/loss", step: 1, value: 2.5),
                    JobMetricPoint(token: token, key: "train/loss", step: 2, value: 1.5),
                    JobMetricPoint(token: token, key: "lr", step: 2, value: 0.001),
                ],
                progress: [JobProgress(token: token, fraction: 0.5, message: "half")])

            let first = try await api.request(.get, "/v1/jobs/\(id)/logs?limit=2")
            #expect(first.json["jobState"]?.stringValue == "running")
            guard case .array(let lines)? = first.json["lines"], let cursor = first.json["nextCursor"]?.stringValue else {
                Issue.record("no lines"); return
            }
            #expect(lines.map { $0["message"]?.stringValue } == ["line 1", "line 2"])
            let rest = try await api.request(.get, "/v1/jobs/\(id)/logs?cursor=\(cursor)")
            guard case .array(let more)? = rest.json["lines"] else { Issue.record("no lines"); return }
            #expect(more.map { $0["message"]?.stringValue } == ["line 3", "line 4", "line 5"])
            let none = try await api.request(.get, "/v1/jobs/\(id)/logs?cursor=\(rest.json["nextCursor"]?.stringValue ?? "")")
            #expect(none.json["lines"] == .array([]))
            #expect(none.json["nextCursor"] == rest.json["nextCursor"], "an empty page keeps the cursor")

            let latest = try await api.request(.get, "/v1/jobs/\(id)/metrics")
            guard case .array(let points)? = latest.json["metrics"] else { Issue.record("no metrics"); return }
            #expect(points.count == 2)
            #expect(points.first { $0["key"]?.stringValue == "train/loss" }?["value"]?.numberValue == 1.5)
            let series = try await api.request(.get, "/v1/jobs/\(id)/metrics/train%2Floss")
            guard case .array(let values)? = series.json["points"] else { Issue.record("no series"); return }
            #expect(values.map { $0["value"]?.numberValue } == [2.5, 1.5])
            #expect(series.json["key"]?.stringValue == "train/loss")

            let job = try await api.request(.get, "/v1/jobs/\(id)")
            #expect(job.json["progress"]?.numberValue == 0.5)
            #expect(job.json["workerId"]?.stringValue == worker.id)
            #expect(try await api.request(.get, "/v1/jobs/9999/logs").status == .notFound)
            #expect(try await api.request(.get, "/v1/jobs/9999/metrics").status == .notFound)
        }
    }
}
