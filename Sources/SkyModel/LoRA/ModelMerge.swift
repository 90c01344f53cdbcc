public import Foundation
public import SkyTensor

/// Folds a PEFT LoRA adapter into its base model and writes a full Hugging Face model directory.
public enum ModelMerge {
    /// What a merge wrote.
    public struct Summary: Sendable, Equatable {
        /// The element type of the written weights (the base model's).
        public var dtype: SafetensorsDType
        /// Projections that changed (layers × targets).
        public var mergedProjections: Int
        /// Files copied unchanged from the base directory.
        public var copiedFiles: [String]
    }

    /// Files of a model directory that describe the tokenizer or generation and pass through a merge unchanged.
    static let passThrough = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                              "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json", "chat_template.jinja"]

    /// Writes base + adapter (W' = W + s·B·A) to `output`, in the base checkpoint's dtype. Refuses an output
    /// directory that exists and is not empty unless `force` (then the merged files replace what is there).
    public static func merge(model: URL, adapter: URL, output: URL, force: Bool, backend: any Backend) throws -> Summary {
        try ModelDirectory.checkExists(model)
        let fm = FileManager.default
        let existing = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        if !existing.isEmpty && !force {
            throw ModelDirectoryError.invalidFile(path: output.path, problem: "output directory is not empty (pass --force to overwrite)")
        }
        let config = try ModelConfig(contentsOf: model)
        let source = try ShardedCheckpoint.open(modelDirectory: model.path)
        let dtype = source.info("model.embed_tokens.weight")?.dtype ?? .f32
        let weights = try ModelWeights(config: config, source: source, backend: backend)
        let lora = try LoRAAdapter.load(directory: adapter, model: config, backend: backend)
        let merged = lora.merged(into: weights, backend: backend)
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        // Stale shards of an earlier model would be read alongside the new file.
        for name in existing where name.hasSuffix(".safetensors") || name == "model.safetensors.index.json" {
            try fm.removeItem(at: output.appendingPathComponent(name))
        }
        var copied: [String] = []
        for name in passThrough where fm.fileExists(atPath: model.appendingPathComponent(name).path) {
            let target = output.appendingPathComponent(name)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: model.appendingPathComponent(name), to: target)
            copied.append(name)
        }
        let entries = merged.namedTensors(config: config).map {
            SafetensorsWriter.Entry(name: $0.name, shape: $0.tensor.shape, values: backend.toArray($0.tensor))
        }
        try SafetensorsWriter.write(entries, to: output.appendingPathComponent("model.safetensors"), dtype: dtype, metadata: ["format": "pt"])
        return Summary(dtype: dtype, mergedProjections: lora.layers.reduce(0) { $0 + $1.count }, copiedFiles: copied)
    }
}
