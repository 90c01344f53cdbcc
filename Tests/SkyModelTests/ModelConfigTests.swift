import Foundation
import SkyModel
import SkyTensor
import Testing

@Suite struct ModelConfigTests {
    @Test func readsQwen2FixtureConfig() throws {
        let config = try ModelConfig(contentsOf: FixtureFiles.url("qwen-tied"))
        #expect(config.modelType == .qwen2)
        #expect(config.attentionBias && config.tieWordEmbeddings)
        #expect(config.numAttentionHeads == 4 && config.numKeyValueHeads == 2 && config.headDim == 16)
        #expect(config.ropeTheta == 1_000_000 && config.ropeScaling == nil)
        #expect(config.rmsNormEps == 1e-6)
    }

    @Test func readsLlama3RopeScalingFromRopeParameters() throws {
        let config = try ModelConfig(contentsOf: FixtureFiles.url("llama"))
        #expect(config.modelType == .llama && !config.attentionBias && !config.tieWordEmbeddings)
        #expect(config.ropeTheta == 500_000)
        #expect(config.ropeScaling == Llama3RopeScaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 64))
    }

    static var legacy: [String: Any] { [
        "model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 16, "num_hidden_layers": 1,
        "num_attention_heads": 2, "rope_theta": 1234.0, "eos_token_id": [1, 2],
        "rope_scaling": ["rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                         "original_max_position_embeddings": 8192],
    ] }

    @Test func readsLegacyTopLevelRopeThetaAndRopeScalingWithDefaults() throws {
        let config = try ModelConfig(json: Self.legacy)
        #expect(config.ropeTheta == 1234 && config.ropeScaling?.originalMaxPositionEmbeddings == 8192)
        #expect(config.numKeyValueHeads == 2 && config.headDim == 4 && config.eosTokenIds == [1, 2])
    }

    @Test func errorsNameTheKey() throws {
        var json = Self.legacy
        json["hidden_size"] = nil
        #expect(throws: ModelConfigError.missingKey("hidden_size")) { try ModelConfig(json: json) }
        json = Self.legacy
        json["model_type"] = "gpt2"
        #expect(throws: ModelConfigError.unsupportedModelType("gpt2")) { try ModelConfig(json: json) }
        json = Self.legacy
        json["num_key_value_heads"] = 3
        #expect(throws: ModelConfigError.self) { try ModelConfig(json: json) }
        json = Self.legacy
        json["vocab_size"] = 10.5
        #expect(throws: ModelConfigError.invalidValue(key: "vocab_size", problem: "10.5 is not an integer")) { try ModelConfig(json: json) }
        json = Self.legacy
        json["rope_scaling"] = ["rope_type": "yarn"]
        #expect(throws: ModelConfigError.self) { try ModelConfig(json: json) }
    }
}

@Suite struct HostileConfigTests {
    @Test func hugeSizesFailOnWeightsWithoutAllocatingThem() throws {
        var json = try FixtureFiles.json("qwen-tied/config.json") as? [String: Any] ?? [:]
        json["vocab_size"] = 1_000_000_000_000
        let folder = try FixtureFiles.temporaryDirectory()
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("config.json"))
        try FileManager.default.copyItem(at: FixtureFiles.url("qwen-tied/model.safetensors"), to: folder.appendingPathComponent("model.safetensors"))
        #expect(throws: ModelConfigError.self) { try CausalLM.load(directory: folder, backend: BLASBackend(threads: 1), maxPositions: 16) }
    }

    @Test func absurdContextLengthIsRejected() throws {
        var json = try FixtureFiles.json("qwen-tied/config.json") as? [String: Any] ?? [:]
        json["max_position_embeddings"] = -4
        #expect(throws: ModelConfigError.self) { try ModelConfig(json: json) }
        json["max_position_embeddings"] = 1 << 40
        #expect(throws: ModelConfigError.self) { try ModelConfig(json: json) }
    }
}
