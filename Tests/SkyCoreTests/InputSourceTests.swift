import Foundation
import SkyCore
import Testing

@Suite struct InputSourceTests {
    @Test func aPerturbJobMayReadASyntheticDatasetWithDefaults() throws {
        let spec = try JobSpecs.validate(kind: .perturb, spec: Data(#"{"dataset": {"synthetic": {"count": 10}}}"#.utf8))
        #expect(spec["dataset"]?["synthetic"] == .object([
            "seed": .number(0), "count": .number(10), "demonstrations": .string("long"), "systemPrompt": .bool(false),
        ]))
    }

    @Test func aTrainJobMayStartFromAnInitialisedModelInFullMode() throws {
        let json = #"{"baseModel": {"init": {"preset": "tiny"}}, "dataset": {"synthetic": {"demonstrations": "short"}}, "mode": "full"}"#
        let spec = try JobSpecs.validate(kind: .train, spec: Data(json.utf8))
        #expect(spec["baseModel"]?["init"]?["vocabSize"] == .number(1024))
        #expect(spec["baseModel"]?["init"]?["modelType"] == .string("qwen2"))
        let lora = #"{"baseModel": {"init": {"preset": "tiny"}}, "dataset": {"path": "/d.jsonl"}}"#
        #expect(specIssues(.train, lora).map(\.pointer) == ["/mode"])
    }

    @Test func badSettingsAreReportedAtTheirField() {
        let json = #"{"baseModel": {"init": {"preset": "huge", "vocabSize": 10}}, "dataset": {"synthetic": {"count": 0, "demonstrations": "medium"}}, "mode": "full"}"#
        #expect(Set(specIssues(.train, json).map(\.pointer)) == [
            "/baseModel/init/preset", "/baseModel/init/vocabSize", "/dataset/synthetic/count", "/dataset/synthetic/demonstrations",
        ])
    }

    @Test func sourcesAreOnlyAcceptedWhereTheyMakeSense() {
        #expect(specIssues(.eval, #"{"model": {"init": {}}, "benchmarks": [{"name": "s", "builtin": {}}]}"#).map(\.pointer) == ["/model/init"])
        #expect(specIssues(.perturb, #"{"dataset": {"init": {}}}"#).map(\.pointer) == ["/dataset/init"])
        #expect(specIssues(.train, #"{"baseModel": {"synthetic": {}}, "dataset": {"path": "/d"}}"#).map(\.pointer) == ["/baseModel/synthetic"])
        let two = specIssues(.perturb, #"{"dataset": {"path": "/d", "synthetic": {}}}"#)
        #expect(two.map(\.pointer) == ["/dataset"] && two[0].message.contains("'synthetic'"))
    }

    @Test func anInitialisedModelsTokenizerMayLearnFromAnotherDataset() throws {
        let json = #"{"baseModel": {"init": {"tokenizerCorpus": {"synthetic": {"count": 5}}}}, "dataset": {"path": "/d"}, "mode": "full"}"#
        let spec = try JobSpecs.validate(kind: .train, spec: Data(json.utf8))
        #expect(spec["baseModel"]?["init"]?["tokenizerCorpus"]?["synthetic"]?["count"] == .number(5))
        let bad = #"{"baseModel": {"init": {"tokenizerCorpus": {"init": {}}}}, "dataset": {"path": "/d"}, "mode": "full"}"#
        #expect(specIssues(.train, bad).map(\.pointer) == ["/baseModel/init/tokenizerCorpus/init"])
        let empty = #"{"baseModel": {"init": {"tokenizerCorpus": {}}}, "dataset": {"path": "/d"}, "mode": "full"}"#
        #expect(specIssues(.train, empty).map(\.pointer) == ["/baseModel/init/tokenizerCorpus"])
        let plain = try JobSpecs.validate(kind: .train, spec: Data(#"{"baseModel": {"init": {}}, "dataset": {"path": "/d"}, "mode": "full"}"#.utf8))
        #expect(plain["baseModel"]?["init"]?["tokenizerCorpus"] == nil)
    }

    @Test func oldSpecsEncodeAsBefore() throws {
        let spec = try JobSpecs.validate(kind: .perturb, spec: Data(#"{"dataset": {"artifact": "7"}}"#.utf8))
        #expect(spec["dataset"] == .object(["artifact": .string("7")]))
    }
}
