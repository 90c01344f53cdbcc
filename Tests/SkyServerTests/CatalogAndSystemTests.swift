import Foundation
import HTTPTypes
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

@Suite struct CatalogAndSystemTests {
    @Test func experimentsWorkersAndQueues() async throws {
        try await withAPI { api in
            _ = try await api.submit(.sleepJob(extra: ["experiment": .string("alpha")]))
            let second = try await api.submit(.sleepJob(extra: ["experiment": .string("alpha")]))
            _ = try await api.submit(.sleepJob(extra: ["experiment": .string("beta"), "queue": .string("gpu")]))
            _ = try await api.request(.post, "/v1/jobs/\(second)/cancel")

            let experiments = try await api.request(.get, "/v1/experiments")
            guard case .array(let list)? = experiments.json["experiments"] else { Issue.record("no experiments"); return }
            #expect(Set(list.compactMap { $0["name"]?.stringValue }) == ["alpha", "beta"])
            let alpha = try await api.request(.get, "/v1/experiments/alpha")
            #expect(alpha.json["counts"]?["queued"]?.numberValue == 1)
            #expect(alpha.json["counts"]?["cancelled"]?.numberValue == 1)
            #expect(alpha.json["total"]?.numberValue == 2)
            #expect(try await api.request(.get, "/v1/experiments/nope").status == .notFound)

            try await WorkerRegistry(client: api.db.client).register(.test("w-1", queues: ["default", "gpu"]), host: "h1", pid: 42, version: "t", slots: 4)
            let workers = try await api.request(.get, "/v1/workers")
            #expect(workers.json["workers"]?[0]?["id"]?.stringValue == "w-1")
            #expect(workers.json["workers"]?[0]?["slots"]?.numberValue == 4)
            #expect(workers.json["workers"]?[0]?["alive"] == .bool(true))

            let queues = try await api.request(.get, "/v1/queues")
            guard case .array(let summaries)? = queues.json["queues"] else { Issue.record("no queues"); return }
            #expect(summaries.compactMap { $0["name"]?.stringValue } == ["default", "gpu"])

            #expect(try await api.request(.post, "/v1/queues/gpu/pause", token: api.submitter).status == .forbidden)
            let paused = try await api.request(.post, "/v1/queues/gpu/pause", json: .object(["reason": .string("maintenance")]))
            #expect(paused.json["paused"] == .bool(true))
            #expect(try await api.db.queue.claim(for: .test(queues: ["gpu"]), limit: 5, lease: .seconds(30)).isEmpty)
            let resumed = try await api.request(.post, "/v1/queues/gpu/resume")
            #expect(resumed.json["paused"] == .bool(false))
            #expect(try await api.db.queue.claim(for: .test(queues: ["gpu"]), limit: 5, lease: .seconds(30)).count == 1)
        }
    }

    @Test func everyProtectedRouteNeedsAToken() async throws {
        try await withAPI { api in
            for (method, template) in OpenAPIContract.shared.operations {
                let path = template.replacingOccurrences(of: "{id}", with: "1").replacingOccurrences(of: "{name}", with: "default")
                    .replacingOccurrences(of: "{key}", with: "loss")
                let response = try await api.request(HTTPRequest.Method(rawValue: method)!, path, token: .some(nil))
                if ["/healthz", "/readyz", "/openapi.yaml"].contains(template) {
                    #expect(response.status == .ok, "\(method) \(template) is open")
                } else {
                    #expect(response.status == .unauthorized, "\(method) \(template) without a token")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let bad = try await api.request(HTTPRequest.Method(rawValue: method)!, path, token: "sky_not-a-real-token")
                    #expect(bad.status == .unauthorized, "\(method) \(template) with a bad token")
                }
            }
        }
    }

    @Test func scopesAreEnforced() async throws {
        try await withAPI(configuration: .init(port: 0, tokenCacheSeconds: 0, databaseTimeoutSeconds: 60)) { api in
            let id = try await api.submit(.sleepJob())
            for (method, path) in [("POST", "/v1/jobs"), ("POST", "/v1/jobs/batch"), ("POST", "/v1/jobs/\(id)/cancel"),
                                   ("POST", "/v1/jobs/\(id)/retry"), ("POST", "/v1/artifacts?name=x"),
                                   ("POST", "/v1/queues/default/pause"), ("POST", "/v1/queues/default/resume")] {
                let response = try await api.request(HTTPRequest.Method(rawValue: method)!, path, token: api.reader, json: .sleepJob())
                #expect(response.status == .forbidden, "\(method) \(path) with a read token")
                #expect(response.problem == "forbidden")
            }
            #expect(try await api.request(.get, "/v1/jobs/\(id)", token: api.reader).status == .ok)
            #expect(try await api.request(.get, "/metrics", token: api.reader).status == .ok)
            #expect(try await api.request(.post, "/v1/jobs", token: api.submitter, json: .sleepJob()).status == .created)

            // A revoked token stops working once the cache entry lapses (5 s by default; 0 here).
            let tokens = TokenStore(client: api.db.client)
            try await tokens.revoke("test-read")
            #expect(try await api.request(.get, "/v1/jobs", token: api.reader).status == .unauthorized)
        }
    }

    @Test func probesContractAndMetrics() async throws {
        try await withAPI { api in
            let health = try await api.request(.get, "/healthz", token: .some(nil))
            #expect(health.json["status"]?.stringValue == "ok")
            let ready = try await api.request(.get, "/readyz", token: .some(nil))
            #expect(ready.json["schemaVersion"]?.numberValue == Double(Migration.all.last!.version))
            let contract = try await api.request(.get, "/openapi.yaml", token: .some(nil))
            #expect(contract.text == OpenAPIContract.shared.text, "the server serves the very file the tests check")

            _ = try await api.submit(.sleepJob(extra: ["queue": .string("q1")]))
            _ = try await api.request(.get, "/v1/jobs/77")
            let metrics = try await api.request(.get, "/metrics")
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"sky_jobs{queue="q1",state="queued"} 1"#))
            #expect(metrics.text.contains(#"sky_http_requests_total{method="POST",route="/v1/jobs",status="201"}"#))
            #expect(metrics.text.contains(#"route="/v1/jobs/{id}",status="404"}"#) || metrics.text.contains(#"route="/v1/jobs/:id",status="404"}"#), "\(metrics.text)")
            #expect(metrics.text.contains("sky_claim_latency_seconds_count"))
            #expect(metrics.text.contains("sky_workers 0"))
        }
    }
}
