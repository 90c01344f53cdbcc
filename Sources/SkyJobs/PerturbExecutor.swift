import Foundation
public import SkyCore
import SkyData
public import SkyWorker

/// Runs `perturb` jobs: fetches the input dataset (and any wrong-sample set), streams it through the
/// perturbation pipeline, stores the result as a dataset artifact with its manifest, and records the
/// statistics as metrics.
public struct PerturbExecutor: JobExecutor {
    public let kind = JobKind.perturb

    /// Creates the executor.
    public init() {}

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: PerturbSpec.self)
        let input = try await DatasetInputs.resolve(spec.dataset, name: "input", context: context)
        // The pipeline resolves references synchronously, so every wrong-sample set is fetched first.
        var resolved: [PerturbSpec.DatasetReference: URL] = [:]
        for (index, perturbation) in spec.perturbations.enumerated() {
            if let reference = perturbation.wrongSamples, resolved[reference] == nil {
                resolved[reference] = try await DatasetInputs.resolve(reference, name: "wrong-\(index)", context: context)
            }
        }
        let output = try context.makeScratchDirectory().appendingPathComponent("output.jsonl")
        context.log("perturbing \(spec.perturbations.map { "\($0.type):\($0.ratio)" }.joined(separator: ", ")) with seed \(spec.seed)")
        let result: PerturbationPipeline.Result
        do {
            result = try await PerturbationPipeline(spec: spec).run(
                input: input, output: output,
                progress: { progress in
                    let fraction = progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : 0
                    context.progress(fraction, message: "pass \(progress.pass): \(progress.recordsRead) records read")
                },
                resolve: { reference in
                    guard let url = resolved[reference] else { throw PermanentJobError("wrong-sample set was not fetched") }
                    return url
                })
        } catch let error as DatasetError {
            throw PermanentJobError("input dataset: \(error)")
        }
        let manifest = result.manifest
        var manifestJSON = manifest.json
        if let synthetic = spec.dataset.synthetic, case .object(var fields) = manifestJSON {
            // A generated input has no file of its own: the generator settings are its source.
            fields["source"] = .object(["synthetic": SyntheticDatasets.json(synthetic)])
            manifestJSON = .object(fields)
        }
        for (key, value) in manifest.records { context.metric("records/\(key)", step: 0, value: Double(value)) }
        for statistics in manifest.statistics {
            for (counter, value) in statistics.totals { context.metric("\(statistics.name)/\(counter)", step: 0, value: Double(value)) }
            // Counts of what changed and why the rest did not, where people read a job's outcome.
            context.log(statistics.summary)
        }
        let artifact = try await context.publishArtifact(
            kind: .dataset, name: "perturbed-\(context.jobID).jsonl", file: output, mediaType: "application/jsonl",
            metadata: manifestJSON)
        context.log("stored dataset artifact \(artifact.id): \(manifest.records["written"] ?? 0) records, sha256 \(artifact.sha256)")
        return .object([
            "artifact": .number(Double(artifact.id)), "sha256": .string(artifact.sha256),
            "records": .number(Double(manifest.records["written"] ?? 0)), "manifest": manifestJSON,
        ])
    }
}
