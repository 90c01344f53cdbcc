import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Adapters written in PEFT's layout read back bit for bit, with PEFT's config keys.
@Suite struct PEFTAdapterTests {
    @Test func writtenAdapterReadsBackWithPEFTNamesAndConfig() throws {
        let tiny = TinyModel()
        let lora = LoRAConfig(rank: 2, alpha: 4, targets: [.q, .v, .down], useRSLoRA: true)
        let layout = ParameterLayout.lora(config: tiny.config, lora: lora)
        let values = NaiveReferenceRandom.uniform(layout.count, seed: 11)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-train-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try PEFTAdapter.write(parameters: tiny.backend.tensor(values, shape: [layout.count]), layout: layout, lora: lora,
                              baseModel: "tiny", backend: tiny.backend, to: directory)
        let back = layout.makeBuffer(backend: tiny.backend)
        try PEFTAdapter.read(into: back, layout: layout, backend: tiny.backend, from: directory)
        #expect(tiny.backend.toArray(back) == values)
        let file = try SafetensorsFile(path: directory.appendingPathComponent("adapter_model.safetensors").path)
        #expect(file.info("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight")?.shape == [8, 2])
        #expect(file.tensorNames.count == 2 * 3 * 2)
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("adapter_config.json"))) as? [String: Any]
        #expect(config?["peft_type"] as? String == "LORA" && config?["r"] as? Int == 2 && config?["use_rslora"] as? Bool == true)
        #expect(config?["target_modules"] as? [String] == ["down_proj", "q_proj", "v_proj"])
    }

    @Test func anAdapterMissingATensorIsRejected() throws {
        let tiny = TinyModel()
        let small = LoRAConfig(rank: 2, targets: [.q]), large = LoRAConfig(rank: 2, targets: [.q, .k])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-train-tests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let smallLayout = ParameterLayout.lora(config: tiny.config, lora: small)
        try PEFTAdapter.write(parameters: smallLayout.makeBuffer(backend: tiny.backend), layout: smallLayout, lora: small,
                              baseModel: "tiny", backend: tiny.backend, to: directory)
        let largeLayout = ParameterLayout.lora(config: tiny.config, lora: large)
        #expect(throws: ModelConfigError.self) {
            try PEFTAdapter.read(into: largeLayout.makeBuffer(backend: tiny.backend), layout: largeLayout, backend: tiny.backend, from: directory)
        }
    }
}
