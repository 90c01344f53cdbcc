import ArgumentParser
import Foundation
import SkyModel
import SkyTensor

/// `skyctl bench model`: the CPU model runtime against the machine's own limits, measured in the same run:
/// (a) prefill GFLOP/s next to sgemm GFLOP/s, (b) decode tokens/s next to the memory-bandwidth bound,
/// (c) load time, resident memory and decode speed of a model with Qwen2.5-0.5B's shapes, (d) decode of the tiny
/// preset, whose products are too small to split over threads, and (e) the two backward products of a Linear
/// layer that training runs, next to the same sgemm.
///
/// Rounds interleave every measurement so a noisy neighbour slows all of them alike; medians are reported. A device
/// backend gets its own report (`DeviceModelBench`).
struct ModelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Measure prefill GFLOP/s, decode tokens/s and a 0.5B model's load time and memory.",
        discussion: """
        Prefill FLOPs are the matrix products actually run: 2 × (non-embedding weights) × tokens, causal attention \
        (QKᵀ and PV), and one lm_head row. The decode bound is memory bandwidth (a streaming-read probe) over the bytes \
        a step reads: every float32 weight once plus the KV cache. The 0.5B model is written with random bf16 weights \
        to a temporary directory and loaded in a child process each round, so its memory figures are its own.         With --backend cuda (or auto on a GPU host) it measures --preset on the device instead: prefill next to the         backend's own product, batch-1 decode next to the bound set by device-to-device copy bandwidth (bf16 matrices         at 2 bytes, the KV cache at 4), and the device memory held.
        """
    )

    @Option(help: "Backend: blas (the CPU report below), cuda or auto (a device report: prefill, decode against device bandwidth, device memory).")
    var backend = "blas"
    @Option(help: "SkyModel preset measured on a device backend (random weights, Qwen2.5's 151,936-token vocabulary).")
    var preset = "qwen2.5-0.5b"
    @Flag(help: "On a device backend, keep the matrices float32 (default: bf16, as a bf16 checkpoint loads).")
    var float32Matrices = false
    @Option(help: "Threads for BLAS, the backend's loops and the bandwidth probe (default: SKY_NUM_THREADS or the core count).")
    var threads: Int?
    @Option(help: "Interleaved rounds; medians are reported.") var rounds = 5
    @Option(help: "Prompt tokens for the prefill measurement.") var tokens = 512
    @Option(help: "Decode steps timed per round (after a 16-token prompt).") var decodeSteps = 64
    @Option(help: "Decode steps timed per round for the 0.5B model.") var largeDecodeSteps = 16
    @Flag(help: "Skip the 0.5B model (c).") var skipLarge = false
    @Flag(help: "Print one JSON object instead of text.") var json = false
    @Option(help: ArgumentHelp("Internal: load this directory, decode, print one JSON line (the child of (c)).", visibility: .hidden))
    var loadProbe: String?
    @Option(help: ArgumentHelp("Internal: how the load probe stores weight matrices (float32 or bfloat16).", visibility: .hidden))
    var loadMatrices = "float32"

    func validate() throws {
        guard rounds > 0, tokens > 0, decodeSteps > 0, largeDecodeSteps > 0 else {
            throw ValidationError("--rounds, --tokens, --decode-steps and --large-decode-steps must be positive")
        }
        guard ModelPreset.named(preset) != nil else { throw ValidationError("--preset \(preset): no such preset") }
    }

    func run() throws {
        if loadProbe == nil, backend != "blas" {
            let (device, note) = try BackendSelection.make(backend, threads: threads)
            if let note { FileHandle.standardError.write(Data("skyctl: \(note)\n".utf8)) }
            if !(device is BLASBackend) {
                let config = ModelPreset.named(preset)!.config(modelType: .qwen2, vocabularySize: LargeModelProbe.config.vocabSize)
                print(try DeviceModelBench(backend: device, config: config, bfloat16Matrices: !float32Matrices, rounds: rounds,
                                           tokens: tokens, decodeSteps: decodeSteps).run(json: json))
                return
            }
        }
        let backend = BLASBackend(threads: threads)
        if let loadProbe {
            guard let matrices = DType(rawValue: loadMatrices) else { throw ValidationError("--load-matrices \(loadMatrices)") }
            print(try LargeModelProbe.run(directory: URL(fileURLWithPath: loadProbe), backend: backend, steps: largeDecodeSteps,
                                          matrices: matrices).jsonLine)
            return
        }
        let config = PrefillBenchmark.config25M
        let model = CausalLM(config: config, weights: try ModelWeights.random(config: config, seed: 1, backend: backend),
                             backend: backend, maxPositions: max(tokens, 16 + decodeSteps))
        // The same model with its matrices stored as bf16: decode reads half the weight bytes.
        let narrow = CausalLM(config: config, weights: model.weights.withBFloat16Matrices(backend: backend), backend: backend,
                              maxPositions: max(tokens, 16 + decodeSteps))
        var report = ModelBenchReport(threads: backend.threads, tokens: tokens, decodeSteps: decodeSteps, config: config)
        let tinyConfig = ModelPreset.named("tiny")!.config(modelType: .qwen2, vocabularySize: 1024)
        let tiny = CausalLM(config: tinyConfig, weights: try ModelWeights.random(config: tinyConfig, seed: 2, backend: backend),
                            backend: backend, maxPositions: 16 + decodeSteps)
        let large = skipLarge ? nil : try LargeModelProbe.prepare()
        defer { if let large { try? FileManager.default.removeItem(at: large.directory) } }
        report.largeWriteSeconds = large?.writeSeconds
        report.largeFileBytes = large?.fileBytes ?? 0
        let prompt = (0..<tokens).map { Int32(($0 * 7919) % config.vocabSize) }
        _ = try model.forward([(prompt, model.makeCache(capacity: tokens))])  // warm-up: page in weights, start BLAS threads
        let clock = ContinuousClock()
        for _ in 0..<max(1, rounds) {
            report.sgemm.append(PrefillBenchmark.sgemm(backend: backend, m: tokens, n: config.intermediateSize, k: config.hiddenSize).gflops)
            var failure: (any Error)?
            let prefill = clock.measure {
                do { _ = try model.forward([(prompt, model.makeCache(capacity: tokens))]) } catch { failure = error }
            }
            if let failure { throw failure }
            report.prefill.append(PrefillBenchmark.prefillFlops(config: config, tokens: tokens) / prefill.seconds / 1e9)
            let bandwidth = MemoryBandwidthProbe.measure(threads: backend.threads)
            report.bandwidth.append(bandwidth / 1e9)
            report.decode.append(Double(decodeSteps) / (try DecodeBenchmark.decodeSeconds(model: model, prompt: 16, steps: decodeSteps)))
            report.decodeBFloat16.append(Double(decodeSteps) / (try DecodeBenchmark.decodeSeconds(model: narrow, prompt: 16, steps: decodeSteps)))
            report.tinyDecode.append(Double(decodeSteps) / (try DecodeBenchmark.decodeSeconds(model: tiny, prompt: 16, steps: decodeSteps)))
            report.backward.append(PrefillBenchmark.linearBackward(
                backend: backend, rows: tokens, inputs: config.hiddenSize, outputs: config.intermediateSize).gflops)
            if let large {
                report.large.append(try large.runChild(threads: backend.threads, steps: largeDecodeSteps, matrices: .float32))
                report.largeBFloat16.append(try large.runChild(threads: backend.threads, steps: largeDecodeSteps, matrices: .bfloat16))
            }
        }
        print(json ? report.json : report.text)
    }
}
