import Foundation

/// A checkpoint split across several safetensors files by `model.safetensors.index.json`.
public final class ShardedCheckpoint: TensorSource, @unchecked Sendable {
    /// Tensor name → the shard that holds it.
    private let owner: [String: SafetensorsFile]
    /// The index file this checkpoint was opened from.
    public let indexPath: String

    /// Opens the index at `indexPath` and every shard it names (all in the index's folder).
    public init(indexPath: String) throws {
        self.indexPath = indexPath
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: indexPath)) } catch {
            throw SafetensorsError.unreadable(path: indexPath, reason: "\(error)")
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let weightMap = root["weight_map"] as? [String: Any]
        else { throw SafetensorsError.invalidIndex(path: indexPath, problem: "no weight_map object") }
        let folder = URL(fileURLWithPath: indexPath).deletingLastPathComponent()
        var shards: [String: SafetensorsFile] = [:]
        var owner: [String: SafetensorsFile] = [:]
        for (tensor, value) in weightMap {
            // A shard name with a path separator could reach outside the checkpoint folder.
            guard let shard = value as? String, !shard.isEmpty, !shard.contains("/"), shard != "..", shard != "." else {
                throw SafetensorsError.invalidIndex(path: indexPath, problem: "tensor '\(tensor)' names an invalid shard \(value)")
            }
            if shards[shard] == nil { shards[shard] = try SafetensorsFile(path: folder.appendingPathComponent(shard).path) }
            guard let file = shards[shard], file.info(tensor) != nil else {
                throw SafetensorsError.invalidIndex(path: indexPath, problem: "tensor '\(tensor)' is not in shard \(shard)")
            }
            owner[tensor] = file
        }
        self.owner = owner
    }

    public var tensorNames: [String] { owner.keys.sorted() }

    public func info(_ name: String) -> TensorInfo? { owner[name]?.info(name) }

    public func bfloat16(_ name: String) -> (bits: UnsafeBufferPointer<UInt16>, owner: any AnyObject & Sendable)? {
        owner[name]?.bfloat16(name)
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let file = owner[name] else { throw SafetensorsError.missingTensor(name: name, source: indexPath) }
        return try file.floats(name)
    }

    /// Opens a model folder's weights: the sharded index when present, else `model.safetensors`.
    public static func open(modelDirectory: String) throws -> any TensorSource {
        let folder = URL(fileURLWithPath: modelDirectory)
        let index = folder.appendingPathComponent("model.safetensors.index.json").path
        if FileManager.default.fileExists(atPath: index) { return try ShardedCheckpoint(indexPath: index) }
        return try SafetensorsFile(path: folder.appendingPathComponent("model.safetensors").path)
    }
}
