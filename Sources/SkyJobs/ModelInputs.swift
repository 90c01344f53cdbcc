public import Foundation
public import SkyCore
public import SkyWorker

/// Turns a spec's model (or adapter) reference into a local directory: a path as is, or an artifact (a
/// `DirectoryArchive`, as train jobs publish models and adapters and users upload them) unpacked into scratch.
public enum ModelInputs {
    /// The directory for `reference`, recognised by the file `marker` (config.json for a model,
    /// adapter_config.json for a PEFT adapter); `what` names it in errors.
    public static func resolve(_ reference: InputReference, context: JobContext, marker: String = "config.json",
                               what: String = "model") async throws -> URL {
        if let path = reference.path {
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path) else {
                throw PermanentJobError("\(what) path \(path) is not a \(what) directory (no \(marker)) on worker host")
            }
            return url
        }
        let id = try await DatasetInputs.artifactID(of: reference, what: what, context: context)
        let scratch = try context.makeScratchDirectory()
        let archive = scratch.appendingPathComponent("\(what)-\(id).tar")
        try await context.downloadArtifact(id, to: archive)
        let directory = scratch.appendingPathComponent("\(what)-\(id)")
        do {
            try DirectoryArchive.extract(archive, into: directory)
        } catch let error as ArchiveError {
            throw PermanentJobError("\(what) artifact \(id): \(error)")
        }
        try? FileManager.default.removeItem(at: archive)
        return try root(in: directory, marker: marker, what: what, artifact: id)
    }

    /// The directory holding `marker`: the archive's root, or its only folder (`tar -cf m.tar model/`).
    static func root(in directory: URL, marker: String, what: String, artifact: Int64) throws -> URL {
        let files = FileManager.default
        if files.fileExists(atPath: directory.appendingPathComponent(marker).path) { return directory }
        let entries = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
        if entries.count == 1, files.fileExists(atPath: directory.appendingPathComponent(entries[0]).appendingPathComponent(marker).path) {
            return directory.appendingPathComponent(entries[0])
        }
        throw PermanentJobError("\(what) artifact \(artifact) holds no \(marker) at its root or in its only folder")
    }
}
