import Foundation
import SkyCore
import Testing

@Suite struct EvalSpecTests {
    private func issues(_ json: String) -> [SpecIssue] { specIssues(.eval, json) }
    private func pointers(_ json: String) -> [String] { issues(json).map(\.pointer) }

    private static let benchmarks = #""benchmarks": [{"name": "synthetic", "builtin": {"perLevel": 5}}]"#

    @Test func minimalSpecGetsThePapersGreedyEvaluation() throws {
        let spec = try JobSpecs.validate(kind: .eval, spec: Data(#"{"model": {"path": "/m"}, \#(Self.benchmarks)}"#.utf8))
        #expect(spec["sampling"]?["temperature"] == .number(0) && spec["sampling"]?["n"] == .number(1))
        #expect(spec["sampling"]?["maxNewTokens"] == .number(1024) && spec["sampling"]?["topP"] == .number(1))
        #expect(spec["prompt"]?["template"] == .string("sky-t1") && spec["prompt"]?["chatTemplate"] == .string("chatml"))
        guard case .array(let benchmarks)? = spec["benchmarks"], let first = benchmarks.first else {
            Issue.record("no benchmarks in \(spec)")
            return
        }
        #expect(first["format"] == .string("auto") && first["builtin"]?["task"] == .string("synthetic"))
        #expect(first["builtin"]?["perLevel"] == .number(5) && first["builtin"]?["trainCount"] == nil)
        // Specs stored before the held-out split name a trainCount; they still validate, and it is dropped.
        let old = try JobSpecs.validate(kind: .eval, spec: Data(#"{"model": {"path": "/m"}, "benchmarks": [{"name": "s", "builtin": {"seed": 3, "trainCount": 200}}]}"#.utf8))
        #expect(old["benchmarks"]?.value(at: "/0/builtin/seed") == .number(3) && old["benchmarks"]?.value(at: "/0/builtin/trainCount") == nil)
        #expect(spec["batchSize"] == .number(16) && spec["adapter"] == nil && spec["variant"] == nil)
    }

    @Test func modelAdapterAndBenchmarkFilesMayComeFromOtherJobs() throws {
        let json = #"{"model": {"fromJob": 4}, "adapter": {"fromJob": 7}, "benchmarks": [{"name": "b", "data": {"fromJob": 2}}]}"#
        let spec = try JobSpecs.validate(kind: .eval, spec: Data(json.utf8))
        #expect(JobInputs.referencedJobs(in: spec) == [7, 2, 4] || Set(JobInputs.referencedJobs(in: spec)) == [2, 4, 7])
    }

    @Test func everyBadFieldIsNamedByItsPointer() {
        let json = #"""
        {"model": {"path": ""}, "adapter": {"path": "/a", "artifact": "3"},
         "benchmarks": [{"name": "ok", "builtin": {"task": "poetry", "perLevel": 0}},
                        {"name": "ok", "data": {"path": "/b.jsonl"}, "format": "csv", "limit": 0},
                        {"name": "bad name!", "data": {"path": "/c"}, "builtin": {}}],
         "prompt": {"template": "custom", "user": "no placeholder", "chatTemplate": "alpaca"},
         "sampling": {"temperature": -1, "topP": 0, "topK": -2, "maxNewTokens": 0, "n": 0},
         "batchSize": 0, "backend": "tpu", "threads": 0, "variant": ""}
        """#
        let found = Set(pointers(json))
        let expected: Set<String> = [
            "/model/path", "/adapter", "/benchmarks/0/builtin/task", "/benchmarks/0/builtin/perLevel", "/benchmarks/1/name",
            "/benchmarks/1/format", "/benchmarks/1/limit", "/benchmarks/2/name", "/benchmarks/2", "/prompt/user",
            "/prompt/chatTemplate", "/sampling/temperature", "/sampling/topP", "/sampling/topK", "/sampling/maxNewTokens",
            "/sampling/n", "/batchSize", "/backend", "/threads", "/variant",
        ]
        #expect(found == expected, "missing \(expected.subtracting(found)), unexpected \(found.subtracting(expected))")
    }

    @Test func anEmptyBenchmarkListAndStrayCustomFieldsAreRejected() {
        #expect(pointers(#"{"model": {"path": "/m"}, "benchmarks": []}"#) == ["/benchmarks"])
        #expect(pointers(#"{"model": {"path": "/m"}, \#(Self.benchmarks), "prompt": {"template": "plain", "user": "{problem}"}}"#)
            == ["/prompt/template"])
        #expect(pointers(#"{"benchmarks": []}"#).contains("/model"))
    }

    @Test func aNormalisedSpecDecodesToTheSameSpec() throws {
        let json = #"{"model": {"artifact": "9"}, \#(Self.benchmarks), "sampling": {"temperature": 0.7, "topP": 0.95, "n": 8}, "seed": 3}"#
        let spec = try EvalSpec.decodeValidated(from: Data(json.utf8))
        let normalised = try JobSpecs.validate(kind: .eval, spec: Data(json.utf8))
        #expect(try EvalSpec.decodeValidated(from: normalised.encoded()) == spec)
        #expect(spec.sampling.n == 8 && spec.seed == 3 && spec.model.artifact == "9")
    }
}
