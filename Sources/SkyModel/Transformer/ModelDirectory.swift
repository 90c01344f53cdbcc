public import Foundation
public import SkyTensor

/// Writes a model as a Hugging Face directory (config.json + model.safetensors) that transformers can load.
public enum ModelDirectory {
    /// Writes `config` and `weights` into `directory` (created if needed); BF16 halves the file size.
    public static func write(config: ModelConfig, weights: ModelWeights, backend: any Backend, to directory: URL,
                             dtype: SafetensorsDType = .f32) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configData = try JSONSerialization.data(withJSONObject: config.jsonObject(), options: [.prettyPrinted, .sortedKeys])
        try configData.write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        let entries = weights.namedTensors(config: config).map {
            SafetensorsWriter.Entry(name: $0.name, shape: $0.tensor.shape, values: backend.toArray($0.tensor))
        }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("model.safetensors"), dtype: dtype,
                                    metadata: ["format": "pt"])
    }
}
