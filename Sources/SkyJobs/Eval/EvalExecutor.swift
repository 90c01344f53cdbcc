import Foundation
public import SkyCore
import SkyEval
import SkyStore
import SkyTensor
public import SkyWorker

/// Runs `eval` jobs: resolves the model, adapter and benchmarks, samples every problem on a thread of its own,
/// grades each problem as soon as its samples are done and stores them (so a retried job resumes where the
/// last attempt stopped), streams running accuracy and progress, and stores each benchmark's summary with its
/// complete configuration for the leaderboard views.
public struct EvalExecutor: JobExecutor {
    public let kind = JobKind.eval

    /// Creates the executor.
    public init() {}

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: EvalSpec.self)
        let modelDirectory = try await ModelInputs.resolve(spec.model, context: context)
        var adapterDirectory: URL?
        if let adapter = spec.adapter {
            adapterDirectory = try await ModelInputs.resolve(adapter, context: context, marker: "adapter_config.json", what: "adapter")
        }
        let model = try await OwnThread.run { [adapterDirectory] in
            try EvalModel.load(directory: modelDirectory, adapter: adapterDirectory, threads: spec.threads, backend: spec.backend)
        }
        if let note = model.backendNote { context.log(note) }
        let benchmarks = try await EvalBenchmarks.load(spec.benchmarks, context: context)
        let variant = try await VariantLabel.resolve(spec, context: context)
        let trainSeed = try await VariantLabel.trainSeed(spec, context: context)
        let progress = EvalProgress(total: benchmarks.reduce(0) { $0 + $1.problems.count }, context: context)
        context.log("evaluating \(VariantLabel.name(of: spec.model))\(spec.adapter.map { " + " + VariantLabel.name(of: $0) } ?? "") "
            + "as '\(variant)' on \(benchmarks.map { "\($0.name) (\($0.problems.count))" }.joined(separator: ", ")); "
            + "n = \(spec.sampling.n), temperature \(spec.sampling.temperature), \(model.threads) threads on \(model.device.description)")

        var results: [String: JSONValue] = [:]
        for benchmark in benchmarks {
            let run = EvalBenchmarkRun(benchmark: benchmark, spec: spec, model: model, variant: variant, trainSeed: trainSeed,
                                       context: context, progress: progress)
            let summary = try await run.run()
            results[benchmark.name] = .object([
                "run": .number(Double(summary.runID)), "accuracy": .number(summary.summary.accuracy),
                "standardError": .number(summary.summary.standardError), "problems": .number(Double(summary.summary.problemCount)),
                "n": .number(Double(summary.summary.n)), "configHash": .string(summary.summary.configHash),
            ])
            context.log(String(format: "%@: %.1f%% ± %.1f over %d problems × %d samples", benchmark.name,
                               summary.summary.accuracy * 100, summary.summary.standardError * 100, summary.summary.problemCount,
                               summary.summary.n))
        }
        return .object([
            "variant": .string(variant), "modelSha256": .string(model.modelSHA256),
            "adapterSha256": model.adapterSHA256.map(JSONValue.string) ?? .null, "benchmarks": .object(results),
            "device": DeviceJSON.object(model.device),
        ])
    }
}
