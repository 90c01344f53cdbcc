import ArgumentParser
import Foundation
import SkyModel
import SkyTensor

/// `skyctl bench generate`: greedy decoding throughput of a batch on a backend, the figure compared with Hugging Face
/// `generate` on the same device (scripts/bench/compare-generate.sh).
struct GenerateBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Measure greedy decode tokens/s of a batch of sequences on a backend.",
        discussion: """
        Loads --model (a Hugging Face directory; with --bf16-weights a bf16 checkpoint's matrices stay bf16) or makes \
        random weights of --preset, prefills --batch prompts of --prompt-tokens tokens, then decodes --new-tokens \
        tokens per sequence greedily (no stop token). Each round times the prefill alone and the whole generation; \
        decode tokens/s = batch × new tokens ÷ (generation − prefill). Bytes per decode step (weights + KV cache at \
        the middle of the window) are printed so a bound can be set against a measured bandwidth.
        """)

    @Option(help: "Model directory; default: random weights of --preset.") var model: String?
    @Option(help: "SkyModel preset for random weights.") var preset = "qwen2.5-0.5b"
    @Option(help: "Vocabulary of the random model.") var vocab = 151_936
    @Option(help: "Backend: blas, cuda or auto.") var backend = "blas"
    @Option(help: "CPU threads.") var threads: Int?
    @Option(help: "Sequences decoded together.") var batch = 1
    @Option(help: "Prompt tokens per sequence.") var promptTokens = 16
    @Option(help: "New tokens per sequence.") var newTokens = 64
    @Option(help: "Rounds; medians are reported.") var rounds = 3
    @Flag(help: "Keep weight matrices in bf16 (as a bf16 checkpoint stores them).") var bf16Weights = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard batch > 0, promptTokens > 0, newTokens > 0, rounds > 0 else {
            throw ValidationError("--batch, --prompt-tokens, --new-tokens and --rounds must be positive")
        }
        guard model != nil || ModelPreset.named(preset) != nil else { throw ValidationError("--preset \(preset): no such preset") }
    }

    func run() throws {
        let (device, note) = try BackendSelection.make(backend, threads: threads)
        if let note { FileHandle.standardError.write(Data("skyctl: \(note)\n".utf8)) }
        let positions = promptTokens + newTokens
        let lm: CausalLM
        if let model {
            lm = try CausalLM.load(directory: URL(fileURLWithPath: model), backend: device, maxPositions: positions,
                                   matrices: bf16Weights ? .bfloat16 : .float32)
        } else {
            let config = ModelPreset.named(preset)!.config(modelType: .qwen2, vocabularySize: vocab)
            var weights = try ModelWeights.random(config: config, seed: 1, backend: device)
            if bf16Weights { weights = weights.withBFloat16Matrices(backend: device) }
            lm = CausalLM(config: config, weights: weights, backend: device, maxPositions: positions)
        }
        let prompts = (0..<batch).map { b in (0..<promptTokens).map { Int32(($0 * 7919 + b * 104_729) % lm.config.vocabSize) } }
        let generator = Generator(model: lm)
        let clock = ContinuousClock()
        _ = try generator.generate(prompts, parameters: .greedy(maxNewTokens: 2))  // warm-up: kernels, caches, pages
        var decodeRates: [Double] = [], prefillSeconds: [Double] = []
        for _ in 0..<rounds {
            let prefill = try clock.measure {
                _ = try lm.forward(prompts.map { ($0, lm.makeCache(capacity: positions)) })
                try device.checkForFailure()
            }.seconds
            var produced = 0
            let whole = try clock.measure {
                produced = try generator.generate(prompts, parameters: .greedy(maxNewTokens: newTokens)).reduce(0) { $0 + $1.tokens.count }
            }.seconds
            prefillSeconds.append(prefill)
            decodeRates.append(Double(produced) / max(1e-9, whole - prefill))
        }
        let bytes = DecodeBenchmark.bytesPerToken(config: lm.config, position: promptTokens + newTokens / 2,
                                                  bytesPerWeight: bf16Weights ? 2 : 4)
        // One decode step reads the weights once for the whole batch and each sequence's own cache.
        let kvBytes = Double(2 * lm.config.numHiddenLayers * (promptTokens + newTokens / 2) * lm.config.numKeyValueHeads * lm.config.headDim * 4)
        let stepBytes = bytes - kvBytes + Double(batch) * kvBytes
        let report: [String: Any] = [
            "backend": device.name, "device": device.device.description, "batch": batch, "prompt_tokens": promptTokens, "new_tokens": newTokens,
            "parameters": lm.config.parameterCount, "bf16_weights": bf16Weights,
            "decode_tokens_per_s": RoundsText.median(decodeRates), "decode_tokens_per_s_rounds": decodeRates,
            "prefill_s": RoundsText.median(prefillSeconds), "bytes_per_step": stepBytes,
        ]
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print("generate bench on \(device.device): \(lm.config.parameterCount) parameters\(bf16Weights ? ", bf16 matrices" : ""), "
                + "batch \(batch), \(promptTokens) prompt + \(newTokens) new tokens, \(rounds) round(s)")
            print("decode \(RoundsText.range(decodeRates)) tokens/s; prefill \(RoundsText.range(prefillSeconds)) s; "
                + "\(String(format: "%.1f", stepBytes / 1e6)) MB read per decode step")
        }
    }
}
