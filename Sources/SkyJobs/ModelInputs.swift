public import Foundation
public import SkyCore
public import SkyWorker

/// Turns a spec's model reference into a local Hugging Face directory: a path as is, or an artifact (a
/// `DirectoryArchive`, as train jobs in full mode publish them and users upload them) unpacked into scratch.
public enum ModelInputs {
    /// The model directory for `reference`.
    public static func resolve(_ reference: InputReference, context: JobContext) async throws -> URL {
        if let path = reference.path {
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
                throw PermanentJobError("model path \(path) is not a model directory (no config.json) on worker host")
            }
            return url
        }
        let id = try await DatasetInputs.artifactID(of: reference, what: "model", context: context)
        let scratch = try context.makeScratchDirectory()
        let archive = scratch.appendingPathComponent("model-\(id).tar")
        try await context.downloadArtifact(id, to: archive)
        let directory = scratch.appendingPathComponent("model-\(id)")
        do {
            try DirectoryArchive.extract(archive, into: directory)
        } catch let error as ArchiveError {
            throw PermanentJobError("model artifact \(id): \(error)")
        }
        try? FileManager.default.removeItem(at: archive)
        return try modelRoot(in: directory, artifact: id)
    }

    /// The directory holding config.json: the archive's root, or its only folder (`tar -cf m.tar model/`).
    static func modelRoot(in directory: URL, artifact: Int64) throws -> URL {
        let files = FileManager.default
        if files.fileExists(atPath: directory.appendingPathComponent("config.json").path) { return directory }
        let entries = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
        if entries.count == 1, files.fileExists(atPath: directory.appendingPathComponent(entries[0]).appendingPathComponent("config.json").path) {
            return directory.appendingPathComponent(entries[0])
        }
        throw PermanentJobError("model artifact \(artifact) holds no config.json at its root or in its only folder")
    }
}
