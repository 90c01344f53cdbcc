import Foundation
import SkyModel

/// Writes PEFT adapter directories with seeded random A and B for a model config, optionally damaged, so
/// tests exercise the loader on real files.
struct RandomAdapter {
    var rank = 2
    var alpha: Double = 4
    var targets: [LoRAModule] = LoRAModule.allCases
    var useRSLoRA = false
    var seed: UInt64 = 5
    /// Added to adapter_config.json after the standard fields (a field set to NSNull() is removed).
    var configOverrides: [String: Any] = [:]

    /// Every A (r, in) and B (out, r) of `config`, as PEFT names them.
    func tensors(for config: ModelConfig) -> [String: (shape: [Int], values: [Float])] {
        var rng = SplitMix64(state: seed)
        var out: [String: ([Int], [Float])] = [:]
        for layer in 0..<config.numHiddenLayers {
            for module in targets {
                let (input, output) = module.dimensions(config: config), p = module.peftPrefix(layer: layer)
                for (key, shape) in [("lora_A.weight", [rank, input]), ("lora_B.weight", [output, rank])] {
                    let values = (0..<shape.reduce(1, *)).map { _ in Float(rng.next() >> 40) * 0x1p-24 * 0.2 - 0.1 }
                    out[p + key] = (shape, values)
                }
            }
        }
        return out
    }

    /// Writes adapter_config.json and adapter_model.safetensors into `directory`; `edit` may change the tensors first.
    func write(for config: ModelConfig, to directory: URL,
               edit: (inout [String: (shape: [Int], values: [Float])]) -> Void = { _ in }) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var json: [String: Any] = ["peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": alpha,
                                   "target_modules": targets.map(\.rawValue), "bias": "none", "use_rslora": useRSLoRA,
                                   "fan_in_fan_out": false, "modules_to_save": NSNull()]
        for (key, value) in configOverrides {
            if value is NSNull { json[key] = nil } else { json[key] = value }
        }
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: directory.appendingPathComponent("adapter_config.json"))
        var weights = tensors(for: config)
        edit(&weights)
        let entries = weights.keys.sorted().map { SafetensorsWriter.Entry(name: $0, shape: weights[$0]!.shape, values: weights[$0]!.values) }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("adapter_model.safetensors"))
    }
}
