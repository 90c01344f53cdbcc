import Foundation
import HTTPTypes
import SkyCore
import Testing

@Suite struct ExperimentRoutesTests {
    static let document: JSONValue = .object([
        "experiment": .string("routes"), "baseModel": .object(["path": .string("/models/tiny")]),
        "dataset": .object(["path": .string("/data/long.jsonl")]),
        "variants": .array([.object(["name": .string("correct")]),
                            .object(["name": .string("shuffle 100%"), "perturbations": .array([.object(["type": .string("shuffle")])])])]),
        "benchmarks": .array([.object(["synthetic": .object(["perLevel": .number(1)])])]),
        "quick": .array([.string("correct")]),
    ])

    @Test func submittingTwiceCreatesOnceAndAnswersWithThePlan() async throws {
        try await withAPI { api in
            let dry = try await api.request(.post, "/v1/experiments?dryRun=true", json: Self.document)
            #expect(dry.status == .ok && dry.json["counts"]?["new"] == .number(7) && dry.json["jobs"]?[0]?["id"] == .null)

            let first = try await api.request(.post, "/v1/experiments", token: api.submitter, json: Self.document)
            #expect(first.status == .created, "\(first.text)")
            let job = try #require(first.json["jobs"]?[4])
            #expect(job["stage"] == .string("train") && job["variant"] == .string("shuffle 100%") && job["action"] == .string("new"))
            #expect(job["name"] == .string("train shuffle 100%") && job["dependsOnIndex"] == .array([.number(2)]))

            let again = try await api.request(.post, "/v1/experiments", json: Self.document)
            #expect(again.status == .ok && again.json["counts"]?["reused"] == .number(7))
            #expect(again.json["jobs"]?[4]?["id"] == job["id"])

            let quick = try await api.request(.post, "/v1/experiments?quick=true", json: Self.document)
            #expect(quick.status == .ok && quick.json["quick"] == .bool(true) && quick.json["counts"]?["reused"] == .number(3))
        }
    }

    @Test func problemsComeBackAtTheDocumentsPaths() async throws {
        try await withAPI { api in
            guard case .object(var fields) = Self.document else { return }
            fields["train"] = .object(["optimization": .object(["epochs": .number(0)])])
            fields["colour"] = .string("red")
            let response = try await api.request(.post, "/v1/experiments", json: .object(fields))
            #expect(response.status == .unprocessableContent && response.problem == "invalid-experiment")
            #expect(response.pointers == ["/colour"])
            fields["colour"] = nil
            let spec = try await api.request(.post, "/v1/experiments", json: .object(fields))
            #expect(spec.pointers == ["/train/optimization/epochs"])
            let forbidden = try await api.request(.post, "/v1/experiments", token: api.reader, json: Self.document)
            #expect(forbidden.status == .forbidden)
        }
    }
}
