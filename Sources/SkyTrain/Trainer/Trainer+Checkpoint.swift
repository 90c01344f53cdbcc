public import Foundation
import SkyModel
import SkyTensor

extension Trainer {
    /// Writes the trainable parameters, both AdamW moments and the step count to `file` (one safetensors
    /// file: the three buffers share the layout, which the metadata records by size and names).
    public func writeCheckpoint(to file: URL) throws {
        let backend = model.backend
        let entries = [("parameters", parameters), ("adamw.m", optimizer.m), ("adamw.v", optimizer.v)].map {
            SafetensorsWriter.Entry(name: $0.0, shape: [layout.count], values: backend.toArray($0.1))
        }
        try SafetensorsWriter.write(entries, to: file, metadata: ["step": String(optimizer.step), "layout": layoutSignature])
    }

    /// Restores a checkpoint written by `writeCheckpoint` from a trainer with the same layout.
    public mutating func resume(from file: URL) throws {
        let checkpoint = try SafetensorsFile(path: file.path)
        guard checkpoint.metadata["layout"] == layoutSignature, let step = checkpoint.metadata["step"].flatMap(Int.init) else {
            throw CheckpointMismatch(description: "checkpoint \(file.lastPathComponent) was written for another parameter layout")
        }
        let backend = model.backend
        for (name, buffer) in [("parameters", parameters), ("adamw.m", optimizer.m), ("adamw.v", optimizer.v)] {
            backend.copy(buffer, backend.tensor(try checkpoint.floats(name), shape: [layout.count]))
        }
        optimizer.step = step
    }

    /// Element count and a hash of the entry names and shapes, so a checkpoint cannot be loaded into a layout
    /// that merely has the same size.
    private var layoutSignature: String {
        var hash: UInt64 = 14_695_981_039_346_656_037  // FNV-1a: stable across runs, unlike Hasher
        for entry in layout.entries {
            for byte in "\(entry.name)\(entry.shape);".utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        }
        return "\(layout.count):\(String(hash, radix: 16))"
    }
}
