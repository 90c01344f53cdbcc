import Foundation
import SkyCore
import Testing

@Suite struct TrainSpecTests {
    private func issues(_ json: String) -> [SpecIssue] { specIssues(.train, json) }

    private static let minimal = #"{"baseModel": {"path": "/models/tiny"}, "dataset": {"fromJob": 3}"#

    @Test func minimalLoRASpecGetsThePaperRecipe() throws {
        let spec = try JobSpecs.validate(kind: .train, spec: Data((Self.minimal + "}").utf8))
        #expect(spec["mode"] == .string("lora"))
        #expect(spec["lora"]?["r"] == .number(64) && spec["lora"]?["alpha"] == .number(128))
        #expect(spec["lora"]?["targetModules"] == .array(TrainSpec.LoRASettings.modules.map(JSONValue.string)))
        #expect(spec["optimization"]?["learningRate"] == .number(1e-4))
        #expect(spec["optimization"]?["lrScheduler"] == .string("cosine"))
        #expect(spec["optimization"]?["warmupRatio"] == .number(0.1))
        #expect(spec["optimization"]?["warmupSteps"] == nil)
        #expect(spec["optimization"]?["epochs"] == .number(3))
        #expect(spec["sequences"]?["lossOn"] == .string("assistant"))
        #expect(spec["checkpointEvery"] == .number(100))
        #expect(JobInputs.referencedJobs(in: spec) == [3])
    }

    @Test func fullFineTuningDefaultsToTheSmallerLearningRate() throws {
        let spec = try JobSpecs.validate(kind: .train, spec: Data((Self.minimal + #", "mode": "full", "optimization": {"epochs": 1}}"#).utf8))
        #expect(spec["optimization"]?["learningRate"] == .number(1e-5))
        #expect(spec["optimization"]?["epochs"] == .number(1))
    }

    @Test func warmupStepsReplaceTheDefaultRatio() throws {
        let spec = try JobSpecs.validate(kind: .train, spec: Data((Self.minimal + #", "optimization": {"warmupSteps": 5}}"#).utf8))
        #expect(spec["optimization"]?["warmupSteps"] == .number(5))
        #expect(spec["optimization"]?["warmupRatio"] == nil)
    }

    @Test func aNormalisedSpecDecodesToTheSameSpec() throws {
        let json = Self.minimal + #", "lora": {"r": 8, "targetModules": ["q_proj", "v_proj"], "useRslora": true}, "seed": 9}"#
        let spec = try TrainSpec.decodeValidated(from: Data(json.utf8))
        let normalised = try JobSpecs.validate(kind: .train, spec: Data(json.utf8))
        #expect(try TrainSpec.decodeValidated(from: normalised.encoded()) == spec)
        #expect(spec.lora.alpha == 16 && spec.lora.useRslora && spec.seed == 9)
    }

    @Test func everyProblemIsLocatedByPointer() {
        let found = issues("""
        {"baseModel": {"path": "m", "fromJob": 2}, "dataset": {"artifact": ""}, "datasetFormat": "csv",
         "lora": {"r": 0, "alpha": -1, "dropout": 1, "targetModules": ["q_proj", "qkv", "q_proj"]},
         "optimization": {"learningRate": 0, "lrScheduler": "step", "warmupRatio": 0.1, "warmupSteps": 3, "betas": [0.9, 1],
                          "eps": 0, "maxGradNorm": -1, "epochs": 0, "maxSteps": 0, "microBatchSize": 0, "gradientAccumulationSteps": 0},
         "sequences": {"maxLength": 4, "truncation": "middle", "lossOn": "prompt", "chatTemplate": "llama"},
         "seed": 9007199254740992, "backend": "tpu", "threads": 0, "checkpointEvery": -1, "evalEvery": 5}
        """)
        // Unknown names of a fixed set are found while decoding (into typed enums), the rest by validation after it.
        #expect(found.map(\.pointer) == [
            "/optimization/lrScheduler", "/sequences/truncation", "/sequences/lossOn", "/sequences/chatTemplate",
            "/baseModel", "/dataset/artifact", "/datasetFormat",
            "/lora/r", "/lora/alpha", "/lora/dropout", "/lora/targetModules/1", "/lora/targetModules/2",
            "/optimization/learningRate", "/optimization/warmupSteps", "/optimization/betas/1",
            "/optimization/eps", "/optimization/maxGradNorm", "/optimization/epochs", "/optimization/maxSteps",
            "/optimization/microBatchSize", "/optimization/gradientAccumulationSteps",
            "/sequences/maxLength",
            "/seed", "/backend", "/threads", "/checkpointEvery", "/evalFraction",
        ])
        #expect(found.first?.message == "unknown value 'step'; expected one of [\"constant\", \"cosine\", \"linear\"]")
    }

    @Test func loraSettingsAreNotCheckedForFullFineTuning() {
        #expect(issues(Self.minimal + #", "mode": "full", "lora": {"r": 0}}"#).isEmpty)
    }

    @Test func typeErrorsPointIntoNestedObjects() {
        #expect(issues(Self.minimal + #", "optimization": {"learningRate": "fast"}}"#).map(\.pointer) == ["/optimization/learningRate"])
        #expect(issues(Self.minimal + #", "mode": "qlora"}"#).map(\.pointer) == ["/mode"])
        #expect(issues(#"{"dataset": {"path": "d"}}"#).map(\.pointer) == ["/baseModel"])
        #expect(issues(Self.minimal + #", "optimization": {"betas": [0.9]}}"#).map(\.pointer) == ["/optimization/betas"])
        #expect(issues(Self.minimal + #", "evalFraction": 0.6}"#).map(\.pointer) == ["/evalFraction"])
    }
}
