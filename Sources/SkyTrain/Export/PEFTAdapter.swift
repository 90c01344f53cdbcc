public import Foundation
import SkyModel
public import SkyTensor

/// LoRA adapters as a PEFT directory (adapter_config.json + adapter_model.safetensors), the layout PEFT's
/// `PeftModel.from_pretrained` and vLLM's `--enable-lora` load.
public enum PEFTAdapter {
    /// The adapter_config.json object for `lora` on `baseModel` (a path or hub name recorded for PEFT).
    public static func configJSON(lora: LoRAConfig, baseModel: String) -> [String: Any] {
        [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": lora.rank, "lora_alpha": Double(lora.alpha),
            "lora_dropout": Double(lora.dropout), "target_modules": lora.targets.map(\.rawValue).sorted(), "bias": "none",
            "use_rslora": lora.useRSLoRA, "base_model_name_or_path": baseModel, "fan_in_fan_out": false,
            "inference_mode": true, "init_lora_weights": true, "use_dora": false, "modules_to_save": NSNull(),
        ]
    }

    /// Writes the adapters in `parameters` (laid out by `layout`) into `directory`, created if needed.
    public static func write(parameters: Tensor, layout: ParameterLayout, lora: LoRAConfig, baseModel: String,
                             backend: any Backend, to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = try JSONSerialization.data(withJSONObject: configJSON(lora: lora, baseModel: baseModel),
                                              options: [.prettyPrinted, .sortedKeys])
        try json.write(to: directory.appendingPathComponent("adapter_config.json"), options: .atomic)
        // The layout's names are PEFT's file keys already.
        let entries = layout.entries.map {
            SafetensorsWriter.Entry(name: $0.name, shape: $0.shape, values: backend.toArray(layout.view(of: $0.name, in: parameters)))
        }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("adapter_model.safetensors"),
                                    metadata: ["format": "pt"])
    }

    /// Reads adapter_model.safetensors from `directory` into `parameters`; every tensor of `layout` must be
    /// there with its shape.
    public static func read(into parameters: Tensor, layout: ParameterLayout, backend: any Backend, from directory: URL) throws {
        let file = try SafetensorsFile(path: directory.appendingPathComponent("adapter_model.safetensors").path)
        let missing = layout.entries.filter { file.info($0.name)?.shape != $0.shape }.map(\.name)
        guard missing.isEmpty else { throw ModelConfigError.missingWeights(missing) }
        for entry in layout.entries {
            backend.copy(layout.view(of: entry.name, in: parameters), backend.tensor(try file.floats(entry.name), shape: entry.shape))
        }
    }
}
