import Foundation
import SkyModel
import SkyTensor
import Testing

/// The PEFT adapter loader checks every key, shape and config field against the model, naming what is wrong.
@Suite struct LoRAAdapterLoadingTests {
    static let backend = BLASBackend(threads: 1)
    static let config: ModelConfig = {
        do { return try ModelConfig(contentsOf: FixtureFiles.url("qwen-untied")) } catch { fatalError("\(error)") }
    }()

    func load(_ adapter: RandomAdapter, edit: (inout [String: (shape: [Int], values: [Float])]) -> Void = { _ in }) throws -> LoRAAdapter {
        let directory = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try adapter.write(for: Self.config, to: directory, edit: edit)
        return try LoRAAdapter.load(directory: directory, model: Self.config, backend: Self.backend)
    }

    @Test func aValidAdapterLoadsEveryTargetOfEveryLayerWithItsScaling() throws {
        let plain = try load(RandomAdapter(rank: 4, alpha: 8, targets: [.q, .down]))
        #expect(plain.layers.count == 2 && plain.layers.allSatisfy { Set($0.keys) == [.q, .down] })
        #expect(plain.scaling == 2 && plain.layers[1][.down]?.b.shape == [64, 4] && plain.layers[0][.q]?.a.shape == [4, 64])
        let rs = try load(RandomAdapter(rank: 4, alpha: 8, useRSLoRA: true))
        #expect(rs.scaling == 4)
    }

    @Test func aMisshapenTensorIsRejectedWithItsKeyAndBothShapes() throws {
        let key = "base_model.model.model.layers.1.mlp.up_proj.lora_B.weight"
        #expect(throws: LoRAAdapterError.misshapen(key: key, found: [96, 3], expected: [96, 2])) {
            try load(RandomAdapter()) { $0[key] = ([96, 3], Array(repeating: 0, count: 288)) }
        }
    }

    @Test func unknownKeysModulesAndLayersAreRejected() throws {
        let extra: [(String, String)] = [
            ("base_model.model.lm_head.lora_A.weight", "not a LoRA weight of a decoder layer"),
            ("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector", "expected"),
            ("base_model.model.model.layers.2.self_attn.q_proj.lora_A.weight", "layer 2 does not exist"),
            ("base_model.model.model.layers.0.mlp.q_proj.lora_A.weight", "is not a projection Sky adapts"),
            ("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight", "down_proj is not in target_modules"),
        ]
        for (key, problem) in extra {
            do {
                _ = try load(RandomAdapter(targets: [.q, .k, .v, .o])) { $0[key] = ([2, 64], Array(repeating: 0, count: 128)) }
                Issue.record("\(key) was accepted")
            } catch let error as LoRAAdapterError {
                guard case let .unexpectedTensor(found, text) = error else { Issue.record("\(error)"); continue }
                #expect(found == key && text.contains(problem), "\(error)")
            }
        }
    }

    @Test func anAWithoutItsBIsRejected() throws {
        let b = "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight"
        #expect(throws: LoRAAdapterError.missingTensor(key: b)) { try load(RandomAdapter()) { $0[b] = nil } }
    }

    @Test(arguments: [
        ("bias", "all" as any Sendable), ("fan_in_fan_out", true), ("peft_type", "IA3"), ("r", 0), ("use_dora", true),
        ("target_modules", "q_proj|v_proj"), ("target_modules", ["lm_head"]), ("modules_to_save", ["lm_head"]),
        ("rank_pattern", ["q_proj": 8]), ("lora_alpha", "16"),
    ])
    func unsupportedOrMalformedConfigFieldsAreNamed(field: String, value: any Sendable) throws {
        do {
            _ = try load(RandomAdapter(configOverrides: [field: value]))
            Issue.record("\(field) = \(value) was accepted")
        } catch let error as LoRAAdapterError {
            guard case let .invalidConfig(named, _) = error else { Issue.record("\(error)"); return }
            #expect(named == field, "\(error)")
        }
    }

    @Test func anAdapterForAnotherModelDoesNotFit() throws {
        let adapter = try load(RandomAdapter())
        let other = try ModelConfig(contentsOf: FixtureFiles.url("llama"))
        let model = try CausalLM.load(directory: FixtureFiles.url("llama"), backend: Self.backend, maxPositions: 32)
        #expect(throws: LoRAAdapterError.self) {
            try CausalLM(config: other, weights: model.weights, adapter: adapter, backend: Self.backend)
        }
    }
}
