public import Foundation
public import SkyModel
public import SkyTensor

/// The training loop: epochs or max steps over a batch plan, gradient accumulation, the held-out loss, a
/// callback per step, and checkpoints a later run resumes from exactly (same steps, same losses).
public struct TrainingRun: Sendable {
    /// The run's settings.
    public let options: TrainingRunOptions
    /// Model, parameters and optimizer.
    public internal(set) var trainer: Trainer
    /// Which sequences make each step.
    public let plan: BatchPlan
    /// Optimizer steps of the whole run.
    public let totalSteps: Int
    /// Progress so far.
    public internal(set) var state: TrainingState
    let train: [TrainingSequence], heldOut: [TrainingSequence]
    private var epochSteps: (epoch: Int, steps: [[[Int]]])?

    /// A run of `options` over `train`, starting from `weights`; `heldOut` (possibly empty) gives the eval loss.
    public init(config: ModelConfig, weights: ModelWeights, train: [TrainingSequence], heldOut: [TrainingSequence] = [],
                options: TrainingRunOptions, backend: any Backend) throws {
        guard !train.isEmpty else { throw TrainingRunError.noTrainingData }
        // The summary's peak is then this run's (on Linux), not whatever the worker process did before it.
        PeakMemory.reset()
        if let long = (train + heldOut).first(where: { $0.inputIds.count > options.maxLength }) {
            throw TrainingRunError.sequenceTooLong(length: long.inputIds.count, maxLength: options.maxLength)
        }
        plan = BatchPlan(lengths: train.map(\.inputIds.count), microBatchSize: options.microBatchSize,
                         accumulation: options.accumulation, packing: options.packing, maxLength: options.maxLength, seed: options.seed)
        totalSteps = options.maxSteps ?? plan.stepCount(epochs: options.epochs)
        let trainerOptions = TrainerOptions(adamW: options.adamW, maxGradNorm: options.maxGradNorm,
                                            schedule: LRSchedule(options.scheduler, totalSteps: totalSteps, warmup: options.warmup),
                                            seed: options.seed, gradientCheckpointing: options.gradientCheckpointing)
        trainer = Trainer(config: config, weights: weights, mode: options.mode, options: trainerOptions, backend: backend,
                          maxPositions: options.maxLength)
        self.options = options
        self.train = train
        self.heldOut = heldOut
        state = TrainingState()
        state.runSignature = Self.signature(train: train, heldOut: heldOut, options: options, totalSteps: totalSteps)
    }

    /// Whether every step has been taken.
    public var isFinished: Bool { state.step >= totalSteps }

    /// Takes the remaining steps. With `checkpoints`, writes a checkpoint there every `checkpointEvery` steps and
    /// when the observer stops the run; the observer's error is rethrown after that checkpoint.
    public mutating func run(checkpoints: URL? = nil, observer: TrainingObserver = TrainingObserver()) throws -> TrainingSummary {
        let started = ContinuousClock.now
        defer { StepHeap.release() }
        let elapsedBefore = state.elapsedSeconds
        var checkpointed = state.step
        while state.step < totalSteps {
            let stepStarted = ContinuousClock.now
            guard let batches = nextStep() else { continue }
            let result = try trainer.step(batches)
            let tokens = batches.joined().reduce(0) { $0 + $1.inputIds.count }
            state.step += 1
            state.stepInEpoch += 1
            state.tokensSeen += tokens
            state.labelTokensSeen += result.labelTokens
            state.lastLoss = result.loss
            var evalLoss: Double?
            if !heldOut.isEmpty, state.step == totalSteps || (options.evalEvery > 0 && state.step % options.evalEvery == 0) {
                evalLoss = try evaluate()
                state.lastEvalLoss = evalLoss
            }
            state.elapsedSeconds = elapsedBefore + (ContinuousClock.now - started).inSeconds
            let report = StepReport(
                step: state.step, totalSteps: totalSteps, epoch: state.epoch, loss: result.loss, learningRate: result.learningRate,
                gradNorm: result.gradNorm, tokens: tokens, labelTokens: result.labelTokens,
                tokensPerSecond: Double(tokens) / max(1e-9, (ContinuousClock.now - stepStarted).inSeconds),
                elapsedSeconds: state.elapsedSeconds, evalLoss: evalLoss)
            do {
                try observer.step(report)
            } catch {
                if let checkpoints, state.step > checkpointed {
                    // The error is the one that matters; a checkpoint that cannot be written only costs redone steps.
                    if let url = try? writeCheckpoint(into: checkpoints) { try? observer.checkpointed(url, state.step) }
                }
                throw error
            }
            if let checkpoints, options.checkpointEvery > 0, state.step % options.checkpointEvery == 0, state.step < totalSteps {
                try observer.checkpointed(try writeCheckpoint(into: checkpoints), state.step)
                checkpointed = state.step
            }
        }
        return summary
    }

    /// The micro-batches of the next step, moving to the next epoch when this one is done (then nil).
    private mutating func nextStep() -> [[TrainingSequence]]? {
        if epochSteps?.epoch != state.epoch { epochSteps = (state.epoch, plan.steps(epoch: state.epoch)) }
        guard let steps = epochSteps?.steps, state.stepInEpoch < steps.count else {
            state.epoch += 1
            state.stepInEpoch = 0
            return nil
        }
        return steps[state.stepInEpoch].map { $0.map { train[$0] } }
    }

    /// Mean loss over the held-out label tokens with the current parameters (no dropout); nil without a held-out set.
    public func evaluate() throws -> Double? {
        guard !heldOut.isEmpty else { return nil }
        var loss = 0.0, labels = 0
        for start in stride(from: 0, to: heldOut.count, by: options.microBatchSize) {
            let batch = Array(heldOut[start..<min(start + options.microBatchSize, heldOut.count)])
            let activations = try trainer.model.forward(batch, weights: trainer.weights, adapters: trainer.adapters)
            loss += trainer.model.lossSum(activations)
            labels += activations.labelTokenCount
        }
        return loss / Double(max(1, labels))
    }

    /// The run's totals so far.
    public var summary: TrainingSummary {
        TrainingSummary(steps: state.step, finalLoss: state.lastLoss, finalEvalLoss: state.lastEvalLoss, tokensSeen: state.tokensSeen,
                        labelTokensSeen: state.labelTokensSeen, wallSeconds: state.elapsedSeconds,
                        peakMemoryBytes: ResidentMemory.read()?.peak, trainSequences: train.count, heldOutSequences: heldOut.count,
                        trainableParameters: trainer.layout.count, device: trainer.model.backend.device)
    }

    /// A hash of what decides the run's steps: every sequence, the settings and the step count (FNV-1a, stable
    /// across processes, unlike `Hasher`).
    private static func signature(train: [TrainingSequence], heldOut: [TrainingSequence], options: TrainingRunOptions,
                                  totalSteps: Int) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func mix(_ value: Int64) {
            var v = UInt64(bitPattern: value)
            for _ in 0..<8 {
                hash = (hash ^ (v & 0xFF)) &* 1_099_511_628_211
                v >>= 8
            }
        }
        for sequence in train + [TrainingSequence(inputIds: [-1])] + heldOut {
            mix(Int64(sequence.inputIds.count))
            for (id, label) in zip(sequence.inputIds, sequence.labels) { mix(Int64(id) << 32 | Int64(UInt32(bitPattern: label))) }
        }
        // Not "\(options)": a Set's order (LoRA targets) differs between processes, and resuming happens in another one.
        var canonical = options
        var mode = "full"
        if case .lora(let lora) = options.mode {
            mode = "lora \(lora.rank) \(lora.alpha) \(lora.dropout) \(lora.useRSLoRA) \(lora.targets.map(\.rawValue).sorted())"
            canonical.mode = .full
        }
        for setting in "\(mode) \(canonical)".utf8 { mix(Int64(setting)) }
        return "\(totalSteps):\(train.count):\(heldOut.count):\(String(hash, radix: 16))"
    }
}

/// Why a run cannot start or resume.
public enum TrainingRunError: Error, Equatable, CustomStringConvertible {
    /// No sequence is left to train on.
    case noTrainingData
    /// A sequence is longer than the run allows.
    case sequenceTooLong(length: Int, maxLength: Int)
    /// The checkpoint belongs to another run (other data or settings) or is incomplete.
    case checkpointMismatch(String)

    public var description: String {
        switch self {
        case .noTrainingData: "no training sequences: every record was skipped or the dataset is empty"
        case .sequenceTooLong(let length, let maxLength): "a sequence of \(length) tokens is longer than maxLength \(maxLength)"
        case .checkpointMismatch(let reason): "cannot resume: \(reason)"
        }
    }
}

extension Duration {
    /// The duration in seconds.
    var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
