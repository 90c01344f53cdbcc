import Foundation
import HTTPTypes
import SkyCore
import Testing
import Yams

/// Every example in api/examples/ is accepted by the API as it stands (with artifact ids that exist).
@Suite struct ExamplesTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("api/examples")

    static func load(_ name: String) throws -> JSONValue {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let value = try Yams.load(yaml: text)
        return try JSONValue.parse(JSONSerialization.data(withJSONObject: value as Any))
    }

    @Test func everyKindHasAnExampleThatSubmits() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files).isSuperset(of: ["sleep.yaml", "perturb.yaml", "experiment.yaml"]))
        try await withAPI { api in
            // The examples name artifact 1: make it exist.
            let upload = try await api.request(.post, "/v1/artifacts?name=data.jsonl", body: Data("{}\n".utf8),
                                               headers: [.contentType: "application/x-ndjson"])
            #expect(upload.json["id"]?.numberValue == 1)
            for kind in JobKind.allCases {
                let file = "\(kind.rawValue).yaml"
                guard files.contains(file) else { continue }
                let spec = try Self.load(file)
                let response = try await api.request(.post, "/v1/jobs", json: .object(["kind": .string(kind.rawValue), "spec": spec]))
                #expect(response.status == .created, "\(file): \(response.text)")
            }
            let batch = try await api.request(.post, "/v1/jobs/batch", json: try Self.load("experiment.yaml"))
            #expect(batch.status == .created, "experiment.yaml: \(batch.text)")
        }
    }
}
