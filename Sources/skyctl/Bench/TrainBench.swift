import ArgumentParser
import Foundation
import SkyModel
import SkyTensor
import SkyTrain

/// `skyctl bench train`: training steps per second of full fine-tuning and LoRA, as model GFLOP/s next to the
/// same run's sgemm GFLOP/s, with peak memory against the memory the shapes call for.
///
/// Rounds interleave an sgemm of the step's shape (tokens × C · C × F) with every mode's steps, so a noisy
/// neighbour slows all of them alike; medians are reported. Data is random tokens, every token labelled.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Measure training tokens/s (full and LoRA) against sgemm GFLOP/s, and peak memory against the expected.",
        discussion: """
        Model FLOPs per step (T tokens, S the sequence length, L layers, d = heads × head width, P the weights that \
        enter a matrix product: non-embedding weights plus the V×C LM head; the embedding lookup counts 0): \
        full = 6·P·T + attention; LoRA = 4·P·T (frozen forward and input gradients) + 6·P_lora·T + attention; \
        attention = 12·L·T·d·(S+1)/2 ≈ 6·L·T·S·d (QKᵀ and PV forward and backward over the causal half, which is what runs). \
        Peak memory is VmHWM, reset (/proc/self/clear_refs) before each mode's trainer is built and read after its \
        first step, minus VmRSS at that moment.
        """
    )

    @Option(help: "SkyModel preset.") var preset = "25m"
    @Option(help: "Vocabulary size of the random model.") var vocab = 8192
    @Option(help: "Tokens per sequence.") var seqLen = 512
    @Option(help: "Sequences per step (one micro-batch).") var batch = 4
    @Option(help: "Comma-separated modes: full, lora.") var modes = "full,lora"
    @Option(help: "LoRA rank (the paper's 64 on a 5120-wide model, scaled to ~the same share of parameters).") var loraRank = 8
    @Option(help: "LoRA alpha (default 2 × rank, as the paper).") var loraAlpha: Float?
    @Option(help: "Comma-separated LoRA targets (default all seven linear layers).")
    var loraTargets = LoRATarget.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Threads (default: SKY_NUM_THREADS or the core count).") var threads: Int?
    @Option(help: "Backend: blas, cuda or auto (CUDA where it can start, else BLAS).") var backend = "blas"
    @Option(help: "Timed steps per mode per round.") var steps = 2
    @Option(help: "Interleaved rounds; medians are reported.") var rounds = 3
    @Flag(help: "Recompute each layer's activations in the backward.") var gradientCheckpointing = false
    @Flag(help: "After the rounds, time one more step of each mode op by op.") var profile = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard ModelPreset.named(preset) != nil else {
            throw ValidationError("--preset \(preset): not one of \(ModelPreset.all.map(\.name).joined(separator: ", "))")
        }
        guard vocab > 1, seqLen > 1, batch > 0, steps > 0, rounds > 0, loraRank > 0 else {
            throw ValidationError("--vocab, --seq-len, --batch, --steps, --rounds and --lora-rank must be positive (vocab and seq-len > 1)")
        }
        _ = try parsedModes()
    }

    func run() throws {
        let (device, note) = try BackendSelection.make(self.backend, threads: threads)
        if let note { FileHandle.standardError.write(Data("skyctl: \(note)\n".utf8)) }
        let profiler = ProfilingBackend(device)
        let backend: any Backend = profile ? profiler : device
        let config = ModelPreset.named(preset)!.config(modelType: .qwen2, vocabularySize: vocab)
        var rng = SeededGenerator(seed: 7)
        let batchData = (0..<batch).map { _ in
            TrainingSequence(inputIds: (0..<seqLen).map { _ in Int32.random(in: 0..<Int32(vocab), using: &rng) })
        }
        let tokens = batch * seqLen
        let memoryKind = device is CUDABackend ? "device memory held" : "VmHWM"
        var report = TrainBenchReport(memoryKind: memoryKind, threads: (device as? BLASBackend)?.threads ?? 1, device: device.device, config: config, sequenceLength: seqLen, batch: batch,
                                      checkpointing: gradientCheckpointing)
        var trainers: [Trainer] = []
        for mode in try parsedModes() {
            // Built one at a time, each measured from its own baseline, so the memory figure is the mode's own.
            // On a GPU the figure is the device memory the backend holds; on the CPU, the process's resident memory.
            let gpu = (device as? CUDABackend)?.memory
            gpu?.resetPeak()
            PeakMemory.reset()
            let before = gpu.map { $0.bytes } ?? PeakMemory.read()?.current
            var trainer = Trainer(config: config, weights: try ModelWeights.random(config: config, seed: 1, backend: backend), mode: mode,
                                  options: TrainerOptions(adamW: AdamWHyper(lr: 1e-5), schedule: LRSchedule(.constant, totalSteps: 1),
                                                          gradientCheckpointing: gradientCheckpointing),
                                  backend: backend, maxPositions: seqLen)
            _ = try trainer.step([batchData])  // warm-up: pages in every buffer, starts the dispatch workers
            let after = gpu.map { $0.peakBytes } ?? PeakMemory.read()?.peak
            report.modes.append(TrainBenchReport.Mode(
                mode: mode, flopsPerStep: TrainingFlops.step(config: config, mode: mode, tokens: tokens, sequenceLength: seqLen),
                expected: TrainingMemoryEstimate(config: config, mode: mode, tokens: tokens, checkpointing: gradientCheckpointing),
                baselineBytes: before, peakBytes: after))
            trainers.append(trainer)
        }
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            report.sgemm.append(PrefillBenchmark.sgemm(backend: device, m: tokens, n: config.intermediateSize, k: config.hiddenSize).gflops)
            for i in trainers.indices {
                var failure: (any Error)?
                let elapsed = clock.measure {
                    for _ in 0..<steps {
                        do { _ = try trainers[i].step([batchData]) } catch { failure = error }
                    }
                }
                if let failure { throw failure }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                report.modes[i].secondsPerStep.append(seconds / Double(steps))
            }
        }
        if profile {
            for i in trainers.indices {
                profiler.reset()
                _ = try trainers[i].step([batchData])
                report.modes[i].profile = profiler.report
            }
        }
        report.loadAverage = TrainBenchReport.currentLoadAverage()
        print(json ? report.json : report.text)
    }

    private func parsedModes() throws -> [TrainingMode] {
        let targets = try loraTargets.split(separator: ",").map { name in
            guard let target = LoRATarget(rawValue: String(name)) else {
                throw ValidationError("--lora-targets: unknown target '\(name)' (one of \(LoRATarget.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return target
        }
        return try modes.split(separator: ",").map { name in
            switch name {
            case "full": return .full
            case "lora": return .lora(LoRAConfig(rank: loraRank, alpha: loraAlpha, targets: Set(targets)))
            default: throw ValidationError("--modes: unknown mode '\(name)' (full or lora)")
            }
        }
    }
}
