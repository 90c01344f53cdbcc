public import Foundation
import SkyCore

/// SHA-256 fingerprints of model and adapter directories, so an evaluation records exactly what it ran.
///
/// The digest covers the named files in sorted order, each as its name, a NUL, its size (8 bytes,
/// big-endian) and its bytes, read 1 MiB at a time; other files (READMEs, optimizer state) do not count.
public enum DirectoryDigest {
    /// The digest of a PEFT adapter: adapter_config.json and adapter_model.safetensors.
    public static func adapter(_ directory: URL) throws -> String {
        try digest(directory, files: ["adapter_config.json", "adapter_model.safetensors"])
    }

    /// The digest of a model's config.json, its safetensors files and the shard index if any.
    public static func model(_ directory: URL) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0 == "config.json" || $0 == "model.safetensors.index.json" || $0.hasSuffix(".safetensors") }
        return try digest(directory, files: names)
    }

    /// The digest of `files` in `directory`; each must exist.
    public static func digest(_ directory: URL, files: [String]) throws -> String {
        var hasher = SHA256Hasher()
        for name in files.sorted() {
            let url = directory.appendingPathComponent(name)
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            try handle.seek(toOffset: 0)
            hasher.update(Array(name.utf8) + [0] + (0..<8).map { UInt8(truncatingIfNeeded: size >> (56 - 8 * UInt64($0))) })
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                chunk.withUnsafeBytes { hasher.update($0) }
            }
        }
        return hasher.finalizeHex()
    }
}
