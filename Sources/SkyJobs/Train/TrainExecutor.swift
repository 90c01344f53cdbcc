import Foundation
public import SkyCore
import SkyData
import SkyModel
import SkyStore
import SkyTensor
import SkyTrain
public import SkyWorker

/// Runs `train` jobs: resolves the base model and dataset, resumes from the job's newest checkpoint artifact
/// when an earlier attempt left one, trains on a thread of its own while streaming per-step metrics and progress,
/// stores checkpoints as artifacts, and publishes the adapter (PEFT directory) or full model as a `DirectoryArchive`.
public struct TrainExecutor: JobExecutor {
    public let kind = JobKind.train

    /// Creates the executor.
    public init() {}

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: TrainSpec.self)
        let datasetFile = try await DatasetInputs.resolve(spec.dataset, name: "dataset", context: context)
        let modelDirectory: URL
        if let initial = spec.baseModel.initialize {
            let directory = try context.makeScratchDirectory().appendingPathComponent("init-model")
            var corpora = [datasetFile]
            if let extra = initial.tokenizerCorpus {
                corpora.append(try await DatasetInputs.resolve(extra, name: "tokenizer-corpus", context: context))
            }
            modelDirectory = try await OwnThread.run { [corpora] in
                try ModelInitializer.make(initial, corpora: corpora, format: spec.datasetFormat, into: directory)
            }
            context.log("initialised a random \(initial.preset) \(initial.modelType) model (seed \(initial.seed)) with a tokenizer learned from "
                + (corpora.count > 1 ? "the dataset and the tokenizer corpus" : "the dataset"))
        } else {
            modelDirectory = try await ModelInputs.resolve(spec.baseModel, context: context)
        }
        var session = try await OwnThread.run {
            do {
                return try TrainSession(spec: spec, modelDirectory: modelDirectory, datasetFile: datasetFile)
            } catch let error as BackendUnavailable {
                // This host cannot run the spec's backend; another worker (or this one, mended) may: retryable.
                context.log("\(error)", level: "error")
                throw error
            } catch let error as NoTrainingSequences {
                // In the log as well: that is where `skyctl logs` readers look, and it says what to change in the spec.
                context.log("\(error)", level: "error")
                throw PermanentJobError("cannot prepare the run: \(error)")
            } catch {
                throw PermanentJobError("cannot prepare the run: \(error)")
            }
        }
        context.log("training \(spec.mode.rawValue) on \(session.data.records) records (\(session.run.summary.trainSequences) train, "
            + "\(session.run.summary.heldOutSequences) held out, \(session.data.truncated) truncated, \(session.data.skips.count) skipped); "
            + "\(session.run.totalSteps) steps, \(session.run.trainer.layout.count) trainable parameters; on \(session.run.summary.device.description)")
        if let note = session.backendNote { context.log(note) }
        // Training goes on without them, so say which and why before the first step rather than only counting them.
        for explanation in session.data.skips.explanations { context.log("skipped \(explanation)", level: "warning") }
        let scratch = try context.makeScratchDirectory()
        let resumedFrom = try await resume(&session, context: context, scratch: scratch)
        session = try await train(session, context: context, checkpoints: scratch.appendingPathComponent("checkpoints"))

        let archive = try await OwnThread.run { [session] in
            try Self.archiveOutput(of: session, in: scratch, baseModel: Self.name(of: spec.baseModel))
        }
        let summary = session.run.summary
        let summaryJSON = Self.json(summary, resumedFrom: resumedFrom)
        let isAdapter = spec.mode == .lora
        let artifact = try await context.publishArtifact(
            kind: isAdapter ? .adapter : .model, name: "\(isAdapter ? "adapter" : "model")-\(context.jobID).tar", file: archive,
            mediaType: "application/x-tar", metadata: .object(["summary": summaryJSON, "spec": context.job.spec]))
        context.log("stored \(isAdapter ? "adapter" : "model") artifact \(artifact.id): final loss \(summary.finalLoss ?? .nan), "
            + "\(summary.tokensSeen) tokens in \(Int(summary.wallSeconds)) s")
        return .object([
            "artifact": .number(Double(artifact.id)), "sha256": .string(artifact.sha256), "kind": .string(isAdapter ? "adapter" : "model"),
            "summary": summaryJSON, "data": session.dataJSON,
        ])
    }

    /// What adapter_config.json records as `base_model_name_or_path`: the path, or the artifact or job it came from
    /// (the worker's scratch copy is gone once the job ends).
    static func name(of reference: InputReference) -> String {
        reference.path ?? reference.artifact.map { "sky-artifact:\($0)" } ?? reference.initialize.map { "sky-init:\($0.preset)" }
            ?? "sky-job:\(reference.fromJob ?? 0)"
    }

    /// Exports the adapter or model into `scratch/output` and archives it as `scratch/output.tar`.
    private static func archiveOutput(of session: TrainSession, in scratch: URL, baseModel: String) throws -> URL {
        let output = scratch.appendingPathComponent("output"), archive = scratch.appendingPathComponent("output.tar")
        try session.run.export(to: output, baseModel: baseModel, baseDirectory: session.modelDirectory)
        try DirectoryArchive.write(directory: output, to: archive)
        return archive
    }

    /// Restores the newest checkpoint an earlier attempt stored; returns its step (nil when starting afresh).
    private func resume(_ session: inout TrainSession, context: JobContext, scratch: URL) async throws -> Int? {
        guard let newest = try await context.jobArtifacts(kind: .checkpoint).max(by: { Self.step($0.metadata) < Self.step($1.metadata) })
        else { return nil }
        let archive = scratch.appendingPathComponent("resume.tar"), directory = scratch.appendingPathComponent("resume")
        try await context.downloadArtifact(newest.id, to: archive)
        do {
            // Unpacking and reading a full model's checkpoint is blocking I/O: off the cooperative pool, like training.
            session = try await OwnThread.run { [session] in
                var resumed = session
                try DirectoryArchive.extract(archive, into: directory)
                try resumed.run.resume(from: directory)
                return resumed
            }
        } catch {
            context.log("checkpoint artifact \(newest.id) cannot resume this run, starting afresh: \(error)", level: "warning")
            return nil
        }
        context.log("resumed from checkpoint artifact \(newest.id) at step \(session.run.state.step)")
        return session.run.state.step
    }

    private static func step(_ metadata: JSONValue) -> Double { metadata["step"]?.numberValue ?? -1 }

    /// Takes the remaining steps on a thread of its own; cancellation stops it at the next step boundary.
    private func train(_ session: TrainSession, context: JobContext, checkpoints: URL) async throws -> TrainSession {
        let stop = StopFlag()
        let uploads = CheckpointUploads(context: context)
        let result: Result<TrainSession, any Error>
        do {
            result = .success(try await withTaskCancellationHandler {
                try await OwnThread.run {
                    var session = session
                    let observer = TrainingObserver(
                        step: { report in
                            Self.record(report, context: context)
                            if stop.isRaised { throw CancellationError() }
                        },
                        checkpointed: { url, step in try uploads.add(url, step: step) })
                    _ = try session.run.run(checkpoints: checkpoints, observer: observer)
                    return session
                }
            } onCancel: {
                stop.raise()
            })
        } catch let error as ForwardError {
            // A sequence the model cannot take (a token past its vocabulary) fails every retry the same way.
            result = .failure(PermanentJobError("training data does not fit the model: \(error)"))
        } catch {
            result = .failure(error)
        }
        await uploads.finish()
        return try result.get()
    }

    /// Streams one step's metrics and the progress.
    private static func record(_ report: StepReport, context: JobContext) {
        let step = report.step
        context.metric("loss", step: step, value: report.loss)
        context.metric("learning_rate", step: step, value: Double(report.learningRate))
        context.metric("grad_norm", step: step, value: Double(report.gradNorm))
        context.metric("tokens_per_s", step: step, value: report.tokensPerSecond)
        context.metric("elapsed_s", step: step, value: report.elapsedSeconds)
        if let evalLoss = report.evalLoss { context.metric("eval_loss", step: step, value: evalLoss) }
        context.progress(Double(step) / Double(report.totalSteps),
                         message: "step \(step)/\(report.totalSteps) loss \(String(format: "%.4f", report.loss))")
    }

    /// The summary as the job result and the output artifact's metadata record it.
    static func json(_ summary: TrainingSummary, resumedFrom: Int?) -> JSONValue {
        var fields: [String: JSONValue] = [
            "steps": .number(Double(summary.steps)), "tokensSeen": .number(Double(summary.tokensSeen)),
            "labelTokensSeen": .number(Double(summary.labelTokensSeen)), "wallSeconds": .number(summary.wallSeconds),
            "trainableParameters": .number(Double(summary.trainableParameters)),
        ]
        fields["finalLoss"] = summary.finalLoss.map(JSONValue.number)
        fields["finalEvalLoss"] = summary.finalEvalLoss.map(JSONValue.number)
        fields["peakMemoryBytes"] = summary.peakMemoryBytes.map { .number(Double($0)) }
        fields["resumedFromStep"] = resumedFrom.map { .number(Double($0)) }
        fields["device"] = DeviceJSON.object(summary.device)
        return .object(fields)
    }
}
