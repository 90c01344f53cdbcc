public import Foundation
public import SkyCore
public import SkyWorker

/// Turns a spec's dataset reference into a local file: a path as is, an artifact or another job's output
/// downloaded into the run's scratch directory, synthetic records generated there.
public enum DatasetInputs {
    /// The local file for `reference`; `name` keeps downloads of several references apart.
    public static func resolve(_ reference: InputReference, name: String, context: JobContext) async throws -> URL {
        if let synthetic = reference.synthetic {
            let file = try context.makeScratchDirectory().appendingPathComponent("\(name)-synthetic.jsonl")
            try await OwnThread.run { try SyntheticDatasets.write(synthetic, to: file) }
            context.log("generated \(synthetic.count) synthetic \(synthetic.demonstrations)-CoT records (seed \(synthetic.seed))")
            return file
        }
        if let path = reference.path {
            let url = URL(fileURLWithPath: path)
            guard FileManager.default.isReadableFile(atPath: url.path) else {
                throw PermanentJobError("dataset path \(path) is not a readable file on worker host")
            }
            return url
        }
        let artifactID = try await artifactID(of: reference, what: "dataset", context: context)
        let file = try context.makeScratchDirectory().appendingPathComponent("\(name)-\(artifactID).data")
        try await context.downloadArtifact(artifactID, to: file)
        return file
    }

    /// The artifact a reference without a path names: its `artifact`, or the `"artifact"` of the job output it
    /// names; `what` words the errors ("dataset", "model").
    static func artifactID(of reference: InputReference, what: String, context: JobContext) async throws -> Int64 {
        if let artifact = reference.artifact {
            guard let id = Int64(artifact) else { throw PermanentJobError("artifact '\(artifact)' is not an artifact id") }
            return id
        }
        guard let job = reference.fromJob else { throw PermanentJobError("\(what) reference names no path, artifact or job") }
        let outputs = try await context.dependencyOutputs()
        guard let output = outputs[job] else { throw PermanentJobError("job \(job) is not a dependency of this job") }
        guard let id = output["artifact"]?.numberValue.map(Int64.init) ?? output["artifact"]?.stringValue.flatMap(Int64.init) else {
            throw PermanentJobError("job \(job) produced no \(what) artifact (its result has no \"artifact\")")
        }
        return id
    }
}
