import ArgumentParser
import Dispatch
import Foundation
import SkyClient
import SkyCore
import SkyJobs
import SkyTensor
import SkyTrain
import Yams

/// `skyctl train -f spec.yaml [--local]`: submit a train job, or run its session and loop here without a server.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a model (LoRA or full) from a train spec: as a job on the server, or here with --local.",
        discussion: """
        The spec is the JSON or YAML a train job takes (see api/examples/train.yaml). Without --local it is submitted \
        as a train job (validated here first) and its id printed; follow it with `skyctl logs ID -f`. With --local the base model and \
        the dataset must be paths, relative to the current directory. Records that yield no training sequence (say a \
        prompt longer than sequences.maxLength) are skipped with a warning that says why; if none is left it stops with \
        exit status 65. Checkpoints go to OUTPUT/checkpoints (Ctrl-C writes \
        one for the current step) and a rerun resumes from the newest; the adapter (LoRA, a PEFT directory) or the \
        model (full) goes to OUTPUT/adapter or OUTPUT/model.
        """
    )

    @Option(name: .shortAndLong, help: "Train spec, JSON or YAML.") var file: String
    @Flag(help: "Run here instead of submitting a train job to the server.") var local = false
    @Option(name: .shortAndLong, help: "Output directory.") var output: String = "train-output"
    @Option(help: "Print a line every this many steps.") var logEvery: Int = 1
    @Option(help: "With --local: the backend to run on (blas, cuda or auto), in place of the spec's.") var backend: String?
    @Flag(help: "Ignore checkpoints in OUTPUT/checkpoints and start afresh.") var fresh = false
    @Option(help: "Submitted job: a label for people.") var name: String?
    @Option(help: "Submitted job: the experiment it belongs to.") var experiment: String?
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        guard local else { return try await submit() }
        guard logEvery > 0 else { throw ValidationError("--log-every must be positive") }
        var spec = try Self.spec(at: file)
        if let backend {
            guard ComputeBackend(named: backend) != nil || backend == ComputeBackend.automatic else {
                throw ValidationError("--backend \(backend): expected one of \(ComputeBackend.specNames.joined(separator: ", "))")
            }
            spec.backend = backend
        }
        guard let model = spec.baseModel.path, let dataset = spec.dataset.path else {
            throw ValidationError("with --local, baseModel and dataset must be given as paths")
        }
        let outputURL = URL(fileURLWithPath: output), checkpoints = outputURL.appendingPathComponent("checkpoints")
        var session: TrainSession
        do {
            session = try TrainSession(spec: spec, modelDirectory: URL(fileURLWithPath: model), datasetFile: URL(fileURLWithPath: dataset))
        } catch let error as NoTrainingSequences {
            throw CLIFailure("\(dataset): \(error)", code: 65)  // EX_DATAERR: the data, not the command line, is wrong
        }
        print("\(session.data.records) records: \(session.run.summary.trainSequences) train, \(session.run.summary.heldOutSequences) held out, "
            + "\(session.data.truncated) truncated, \(session.data.skips.count) skipped; "
            + "\(session.run.totalSteps) steps, \(session.run.trainer.layout.count) trainable parameters")
        // Training goes on without them; a count alone would not say that the spec, not the data, needs changing.
        Output.flush()  // the counts line first, also when both streams go to one pipe
        if let note = session.backendNote { Output.note("skyctl: \(note)") }  // as a train job logs it
        for explanation in session.data.skips.explanations { Output.note("skyctl: warning: skipped \(explanation)") }
        if fresh {
            try? FileManager.default.removeItem(at: checkpoints)
        } else if let latest = TrainingRun.latestCheckpoint(in: checkpoints) {
            try session.run.resume(from: latest)
            print("resumed from \(latest.path) at step \(session.run.state.step)")
        }
        let every = logEvery
        let interrupt = Self.stopOnInterrupt()
        defer { interrupt.source.cancel() }
        let summary: TrainingSummary
        do {
            summary = try session.run.run(checkpoints: checkpoints, observer: TrainingObserver(step: { report in
                if report.step % every == 0 || report.step == report.totalSteps || report.evalLoss != nil {
                    print(TrainProgressLine(report).text)
                }
                if interrupt.flag.isRaised { throw Interrupted() }
            }))
        } catch is Interrupted {
            print("interrupted: checkpoint of step \(session.run.state.step) in \(checkpoints.path); run the same command to go on")
            throw ExitCode(130)
        }
        let kind = spec.mode == .lora ? "adapter" : "model"
        let destination = outputURL.appendingPathComponent(kind)
        try session.run.export(to: destination, baseModel: model, baseDirectory: session.modelDirectory)
        let eval = summary.finalEvalLoss.map { String(format: ", eval loss %.4f", $0) } ?? ""
        let memory = summary.peakMemoryBytes.map { "\($0 / 1_048_576) MiB" } ?? "unknown"
        print("done: \(summary.steps) steps, final loss " + String(format: "%.4f", summary.finalLoss ?? .nan) + eval
            + ", \(summary.tokensSeen) tokens in " + String(format: "%.1f s (%.0f tok/s)", summary.wallSeconds,
                                                           Double(summary.tokensSeen) / max(summary.wallSeconds, 1e-9))
            + ", peak memory \(memory) on \(summary.device.description); \(kind) in \(destination.path)")
    }

    /// Ctrl-C stops at the end of the current step, after a checkpoint, instead of losing the steps since the last one.
    static func stopOnInterrupt() -> (flag: StopFlag, source: any DispatchSourceSignal) {
        let flag = StopFlag()
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { flag.raise() }
        source.resume()
        return (flag, source)
    }

    struct Interrupted: Error {}

    /// Submits the spec (normalised, as the server will store it) as a train job and prints its id.
    private func submit() async throws {
        let spec = try Self.spec(at: file)
        var body: [String: JSONValue] = ["kind": .string("train"), "spec": try JSONValue.parse(JSONEncoder().encode(spec))]
        body["name"] = name.map(JSONValue.string)
        body["experiment"] = experiment.map(JSONValue.string)
        try await connection.withClient { client in
            let job = try await client.submit(.object(body))
            print(job.id)
            FileHandle.standardError.write(Data("submitted train job \(job.id); follow it with: skyctl logs \(job.id) -f\n".utf8))
        }
    }

    /// The spec in `path`, JSON or YAML, validated as the server validates it.
    static func spec(at path: String) throws -> TrainSpec {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ValidationError("\(path): cannot read: \(error.localizedDescription)")
        }
        let value: JSONValue
        do {
            // JSON is YAML, but JSON's own parser gives better messages for JSON files.
            value = path.hasSuffix(".json") ? try JSONValue.parse(Data(text.utf8)) : try YAMLDecoder().decode(JSONValue.self, from: text)
        } catch {
            throw ValidationError("\(path): not valid \(path.hasSuffix(".json") ? "JSON" : "YAML"): \(error)")
        }
        do {
            return try TrainSpec.decodeValidated(from: JobSpecs.validate(kind: .train, spec: value).encoded())
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
