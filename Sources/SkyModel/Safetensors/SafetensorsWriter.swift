public import Foundation

/// Writes float32 tensors as a safetensors file (F32, BF16 or F16), as the Hugging Face library lays it out.
public enum SafetensorsWriter {
    /// One tensor to write: its name, shape and row-major float32 values.
    public struct Entry: Sendable {
        /// Parameter name, e.g. `model.layers.0.self_attn.q_proj.weight`.
        public let name: String
        /// Dimensions, outermost first.
        public let shape: [Int]
        /// Elements, row-major; count must equal the product of `shape`.
        public let values: [Float]

        /// An entry; the value count is checked when writing.
        public init(name: String, shape: [Int], values: [Float]) {
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The bytes of a safetensors file: u64 header length, JSON header padded with spaces to 8 bytes, data.
    public static func encode(_ entries: [Entry], dtype: SafetensorsDType = .f32, metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        let ordered = entries.sorted { $0.name < $1.name }
        for entry in ordered {
            guard entry.values.count == entry.shape.reduce(1, *), entry.shape.allSatisfy({ $0 >= 0 }), entry.name != "__metadata__" else {
                throw SafetensorsError.invalidEntry(path: "<writer>", tensor: entry.name,
                                                    problem: "\(entry.values.count) values for shape \(entry.shape)")
            }
            let bytes = entry.values.count * dtype.size
            header[entry.name] = ["dtype": dtype.rawValue, "shape": entry.shape, "data_offsets": [offset, offset + bytes]] as [String: Any]
            offset += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Padding keeps the data section 8-byte aligned so readers may map it in place.
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for entry in ordered {
            switch dtype {
            case .f32:
                entry.values.withUnsafeBufferPointer { buffer in
                    for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
                }
            case .bf16:
                for value in entry.values {
                    withUnsafeBytes(of: SafetensorsDType.bfloat16Bits(value).littleEndian) { out.append(contentsOf: $0) }
                }
            case .f16:
                // Float16's initialiser rounds to nearest even and saturates to ±inf, as torch's .half() does.
                for value in entry.values {
                    withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { out.append(contentsOf: $0) }
                }
            }
        }
        return out
    }

    /// Encodes `entries` and writes them to `url` atomically.
    public static func write(_ entries: [Entry], to url: URL, dtype: SafetensorsDType = .f32, metadata: [String: String] = [:]) throws {
        try encode(entries, dtype: dtype, metadata: metadata).write(to: url, options: .atomic)
    }
}
