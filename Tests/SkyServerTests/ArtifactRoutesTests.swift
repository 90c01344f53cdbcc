import Crypto
import Foundation
import HTTPTypes
import PostgresNIO
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

@Suite struct ArtifactRoutesTests {
    @Test func uploadListDownload() async throws {
        try await withAPI { api in
            let records = (0..<500).map { #"{"system": "s", "conversations": [{"from": "user", "value": "q\#($0)"}, {"from": "assistant", "value": "a"}]}"# }
            let body = Data(records.joined(separator: "\n").utf8)
            let uploaded = try await api.request(.post, "/v1/artifacts?name=train.jsonl", token: api.submitter, body: body,
                                                 headers: [.contentType: "application/x-ndjson"])
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let id = try #require(uploaded.json["id"]?.numberValue.map { Int64($0) })
            #expect(uploaded.json["sha256"]?.stringValue == SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined())
            #expect(uploaded.json["sizeBytes"]?.numberValue == Double(body.count))
            #expect(uploaded.json["kind"]?.stringValue == "dataset")
            #expect(uploaded.headers[.location] == "/v1/artifacts/\(id)")

            let described = try await api.request(.get, "/v1/artifacts/\(id)", token: api.reader)
            #expect(described.json["name"]?.stringValue == "train.jsonl")
            let content = try await api.request(.get, "/v1/artifacts/\(id)/content", token: api.reader)
            #expect(content.body == body)
            #expect(content.headers[.contentType] == "application/x-ndjson")
            #expect(content.headers[HTTPField.Name("X-Sky-SHA256")!] == uploaded.json["sha256"]?.stringValue)

            let datasets = try await api.request(.get, "/v1/artifacts?kind=dataset")
            #expect(datasets.json["artifacts"]?[0]?["id"]?.numberValue == Double(id))
            let models = try await api.request(.get, "/v1/artifacts?kind=model")
            #expect(models.json["artifacts"] == .array([]))
            #expect(try await api.request(.get, "/v1/artifacts?kind=weights").status == .badRequest)
            #expect(try await api.request(.get, "/v1/artifacts/99999").status == .notFound)
            #expect(try await api.request(.get, "/v1/artifacts/99999/content").status == .notFound)

            let typeless = try await api.request(.post, "/v1/artifacts?name=x", body: Data("x".utf8), headers: [.contentType: "text/html"])
            #expect(typeless.status == .unsupportedMediaType)
            let nameless = try await api.request(.post, "/v1/artifacts", body: Data("[]".utf8), headers: [.contentType: "application/json"])
            #expect(nameless.status == .badRequest)
        }
    }

    @Test func malformedDatasetsAreRefusedWithTheirPosition() async throws {
        try await withAPI { api in
            let lines = Data("{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n".utf8)
            let refused = try await api.request(.post, "/v1/artifacts?name=bad.jsonl", body: lines, headers: [.contentType: "application/x-ndjson"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.problem == "malformed-dataset")
            #expect(refused.json["detail"]?.stringValue?.contains("line 3, column 7 (byte 24)") == true, "\(refused.text)")
            let list = Data("[{\"a\": 1}, {\"a\": [1, 2}]".utf8)
            let badList = try await api.request(.post, "/v1/artifacts?name=bad.json", body: list, headers: [.contentType: "application/json"])
            #expect(badList.status == .unprocessableContent)
            let rows = try await api.db.client.query("SELECT count(*)::int FROM artifacts")
            for try await count in rows.decode(Int.self) { #expect(count == 0, "nothing of a refused upload is kept") }
            let good = try await api.request(.post, "/v1/artifacts?name=ok.json", body: Data("[{\"a\": 1}, {\"b\": [2]}]".utf8),
                                             headers: [.contentType: "application/json"])
            #expect(good.status == .created)
        }
    }

    @Test func uploadOverTheLimitKeepsNothing() async throws {
        try await withAPI(configuration: .init(port: 0, maxArtifactBytes: 10_000, databaseTimeoutSeconds: 60)) { api in
            let big = Data(repeating: UInt8(ascii: "a"), count: 50_000)
            let response = try await api.request(.post, "/v1/artifacts?name=big.bin", body: big, headers: [.contentType: "application/octet-stream"])
            #expect(response.status == .contentTooLarge)
            let rows = try await api.db.client.query("SELECT count(*)::int FROM artifacts")
            for try await count in rows.decode(Int.self) { #expect(count == 0) }
        }
    }

    @Test func jobOutputsAreListedPerJob() async throws {
        try await withAPI { api in
            let id = try await api.submit(.sleepJob())
            _ = try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
            let store = PostgresArtifactStore(client: api.db.client)
            let chunks = AsyncStream<Data> { continuation in
                continuation.yield(Data("[1,2,3]".utf8))
                continuation.finish()
            }
            let produced = try await store.store(
                NewArtifact(kind: .evalResults, name: "results.json", mediaType: "application/json", producedBy: JobToken(id: id, attempt: 1)),
                chunks: chunks)
            let outputs = try await api.request(.get, "/v1/jobs/\(id)/artifacts")
            #expect(outputs.json["artifacts"]?[0]?["id"]?.numberValue == Double(produced.id))
            #expect(outputs.json["artifacts"]?[0]?["producedBy"]?["jobId"]?.numberValue == Double(id))
            let byJob = try await api.request(.get, "/v1/artifacts?job=\(id)")
            #expect(byJob.json["artifacts"]?[0]?["kind"]?.stringValue == "eval_results")
        }
    }
}
