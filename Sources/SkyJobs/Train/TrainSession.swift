public import Foundation
public import SkyCore
import SkyData
public import SkyModel
import SkyTensor
public import SkyTrain

/// A train spec made concrete on this host: the base model loaded, the dataset encoded with its chat template
/// and split, the run built. The executor and `skyctl train --local` both start here.
public struct TrainSession: Sendable {
    /// The spec.
    public let spec: TrainSpec
    /// The base model's directory.
    public let modelDirectory: URL
    /// The base model's architecture.
    public let config: ModelConfig
    /// What encoding did to the records (counts of read, truncated and skipped records, and why they were skipped).
    public let data: EncodedDataset.Counts
    /// The training loop, ready to run or resume.
    public var run: TrainingRun
    /// Why `backend: auto` runs on BLAS here, to log; nil when the spec named its backend.
    public let backendNote: String?

    /// Loads `modelDirectory` and encodes `datasetFile` as `spec` says; throws `NoTrainingSequences` when every
    /// record is skipped (or there are none), saying why.
    public init(spec: TrainSpec, modelDirectory: URL, datasetFile: URL) throws {
        // Throws, naming what is missing, when the spec asks for a backend this host cannot start.
        let backend: any Backend
        (backend, backendNote) = try BackendSelection.make(spec.backend, threads: spec.threads)
        config = try ModelConfig(contentsOf: modelDirectory)
        let tokenizer = try Tokenizer(contentsOf: modelDirectory.appendingPathComponent("tokenizer.json"))
        let weights = try ModelWeights(config: config, source: try ShardedCheckpoint.open(modelDirectory: modelDirectory.path),
                                       backend: backend)
        let sequences = spec.sequences
        let encoder = SequenceEncoder(tokenizer: tokenizer, template: .named(sequences.chatTemplate), maxLength: sequences.maxLength,
                                      truncation: Self.truncation(sequences.truncation), assistantOnly: sequences.lossOn == .assistant)
        var encoded = EncodedDataset()
        var reader = try DatasetReader(url: datasetFile, format: DatasetFormat(name: spec.datasetFormat))
        while let entry = try reader.next() { encoded.append(Self.messages(entry.record), encoder: encoder) }
        try encoded.requireSequences()
        let (train, heldOut) = encoded.split(heldOut: spec.evalFraction, seed: spec.seed)
        run = try TrainingRun(config: config, weights: weights, train: train, heldOut: heldOut, options: Self.options(spec),
                              backend: backend)
        self.spec = spec
        self.modelDirectory = modelDirectory
        data = encoded.counts
    }

    /// The trainer's truncation for the spec's (every case handled: a new one in SkyCore fails to compile here).
    static func truncation(_ choice: TrainSpec.Sequences.Truncation) -> SequenceEncoder.Truncation {
        switch choice {
        case .right: .right
        case .left: .left
        case .drop: .drop
        }
    }

    /// The trainer's schedule for the spec's.
    static func scheduler(_ choice: TrainSpec.Optimization.Scheduler) -> LRSchedule.Kind {
        switch choice {
        case .constant: .constant
        case .linear: .linear
        case .cosine: .cosine
        }
    }

    /// The record as chat messages: its own system prompt first, when it has one.
    static func messages(_ record: DatasetRecord) -> [ChatMessage] {
        (record.system.map { [ChatMessage.system($0)] } ?? []) + record.messages.map { ChatMessage(role: $0.role.rawValue, content: $0.content) }
    }

    /// The run options a validated spec asks for.
    static func options(_ spec: TrainSpec) throws -> TrainingRunOptions {
        let o = spec.optimization
        let mode: TrainingMode = switch spec.mode {
        case .full: .full
        case .lora:
            .lora(LoRAConfig(rank: spec.lora.r, alpha: Float(spec.lora.alpha), dropout: Float(spec.lora.dropout),
                             targets: Set(spec.lora.targetModules.compactMap(LoRATarget.init(rawValue:))), useRSLoRA: spec.lora.useRslora))
        }
        return TrainingRunOptions(
            mode: mode,
            adamW: AdamWHyper(lr: Float(o.learningRate), beta1: Float(o.betas[0]), beta2: Float(o.betas[1]), eps: Float(o.eps),
                              weightDecay: Float(o.weightDecay)),
            maxGradNorm: o.maxGradNorm > 0 ? Float(o.maxGradNorm) : nil, scheduler: Self.scheduler(o.lrScheduler),
            warmup: o.warmupSteps.map { .steps($0) } ?? .ratio(o.warmupRatio ?? 0), seed: spec.seed, epochs: o.epochs,
            maxSteps: o.maxSteps, microBatchSize: o.microBatchSize, accumulation: o.gradientAccumulationSteps,
            packing: spec.sequences.packing, maxLength: spec.sequences.maxLength, checkpointEvery: spec.checkpointEvery,
            evalEvery: spec.evalEvery, gradientCheckpointing: o.gradientCheckpointing)
    }

    /// The `data` part of a job result.
    public var dataJSON: JSONValue {
        .object([
            "records": .number(Double(data.records)), "truncated": .number(Double(data.truncated)),
            "skipped": .object(Dictionary(uniqueKeysWithValues: data.skipped.map { ($0.key.rawValue, .number(Double($0.value))) })),
            "trainSequences": .number(Double(run.summary.trainSequences)), "heldOutSequences": .number(Double(run.summary.heldOutSequences)),
        ])
    }
}
