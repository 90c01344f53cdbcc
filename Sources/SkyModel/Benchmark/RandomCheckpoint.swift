public import Foundation

/// Writes a random model straight to disk, tensor by tensor, without holding its weights in memory:
/// how the benchmark makes a Qwen2.5-0.5B-shaped checkpoint at run time.
public enum RandomCheckpoint {
    /// Writes config.json and model.safetensors for `config` into `directory`; weights are uniform with
    /// standard deviation `std`, norms 1 and biases 0 (the statistics of `ModelWeights.random`).
    public static func write(config: ModelConfig, to directory: URL, dtype: SafetensorsDType = .bf16, seed: UInt64 = 0,
                             std: Float = 0.02) throws {
        precondition(dtype != .f16, "Sky writes F32 and BF16 only")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var json = config.jsonObject()
        json["torch_dtype"] = dtype == .bf16 ? "bfloat16" : "float32"
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent("config.json"))
        let tensors = config.parameterShapes().sorted { $0.name < $1.name }  // the order SafetensorsWriter uses
        var header: [String: Any] = ["__metadata__": ["format": "pt"]]
        var offset = 0
        for (name, shape) in tensors {
            let bytes = shape.reduce(1, *) * dtype.size
            header[name] = ["dtype": dtype.rawValue, "shape": shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        headerBytes.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - headerBytes.count % 8) % 8))
        let url = directory.appendingPathComponent("model.safetensors")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let file = try FileHandle(forWritingTo: url)
        defer { try? file.close() }
        var prefix = Data()
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { prefix.append(contentsOf: $0) }
        try file.write(contentsOf: prefix + headerBytes)
        var rng = SeededGenerator(seed: seed)
        let halfWidth = std * Float(3).squareRoot()  // uniform(−a, a) has std a/√3
        for (name, shape) in tensors {
            let count = shape.reduce(1, *)
            let constant: Float? = name.hasSuffix("norm.weight") ? 1 : name.hasSuffix(".bias") ? 0 : nil
            var done = 0
            while done < count {
                let n = min(1 << 20, count - done)
                let values = (0..<n).map { _ in constant ?? (Float(rng.next() >> 40) * 0x1p-24 * 2 - 1) * halfWidth }
                try file.write(contentsOf: SafetensorsWriter.encode(values, dtype: dtype))
                done += n
            }
        }
    }
}
