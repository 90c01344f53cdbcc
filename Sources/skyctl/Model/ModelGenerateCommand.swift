import ArgumentParser
import Foundation
import SkyModel
import SkyTensor

/// `skyctl model generate`: continue a prompt with a local model, streaming tokens as they come.
struct ModelGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text from a local model; tokens are printed as they are produced.",
        discussion: "Greedy by default (--temperature 0). Stops at the config's eos_token_id (and <|im_end|> with --chat) "
            + "or after --max-new-tokens. Same seed, same output."
    )

    @Argument(help: "Model directory (Hugging Face format).") var directory: String
    @Option(help: "Prompt text.") var prompt: String
    @Option(help: "PEFT LoRA adapter directory, applied without merging.") var adapter: String?
    @Flag(help: "Wrap the prompt as a ChatML user turn and start the assistant's reply.") var chat = false
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Nucleus sampling: keep the most likely tokens up to this probability.") var topP: Float = 1
    @Option(help: "Keep only the k most likely tokens (0: no limit).") var topK: Int = 0
    @Option(help: "Most tokens to generate.") var maxNewTokens: Int = 64
    @Option(help: "Sampler seed.") var seed: UInt64 = 0
    @Option(help: "CPU threads (default: SKY_NUM_THREADS or the core count).") var threads: Int?
    @Option(help: "Backend: blas, cuda (fails where no GPU can start), or auto (CUDA where it can start, else BLAS).")
    var backend = "blas"
    @Flag(help: "Keep a bf16 checkpoint's weight matrices in bf16 (read in place from the file): half the bytes per decode step, no float32 copy of the model.")
    var bf16Weights = false
    @Flag(help: "Print one JSON object (prompt_ids, ids, text, timings) instead of streaming text.") var json = false

    func validate() throws {
        guard temperature >= 0, temperature.isFinite else { throw ValidationError("--temperature must be 0 or more") }
        guard topP > 0, topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
        guard topK >= 0 else { throw ValidationError("--top-k must be 0 or more") }
        guard maxNewTokens > 0 else { throw ValidationError("--max-new-tokens must be positive") }
    }

    /// `base` with --adapter applied unmerged, or `base` itself.
    private func adapted(_ base: CausalLM) throws -> CausalLM {
        guard let adapter else { return base }
        do {
            let lora = try LoRAAdapter.load(directory: URL(fileURLWithPath: adapter), model: base.config, backend: base.backend)
            return try CausalLM(config: base.config, weights: base.weights, adapter: lora, backend: base.backend,
                                maxPositions: base.rotary.positions)
        } catch { throw ModelCLIError("\(adapter): \(error)") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let loadStart = clock.now
        let url = URL(fileURLWithPath: directory)
        let (device, note) = try BackendSelection.make(backend, threads: threads)
        if let note { FileHandle.standardError.write(Data("skyctl: \(note)\n".utf8)) }
        let (base, tokenizer) = try ModelDirectory.load(url, backend: device, matrices: bf16Weights ? .bfloat16 : .float32)
        let model = try adapted(base)
        let loadSeconds = (clock.now - loadStart).seconds
        let promptIds = chat
            ? tokenizer.encodeChat([.user(prompt)], template: .chatML, addGenerationPrompt: true).ids
            : tokenizer.encode(prompt, addSpecialTokens: true)
        guard !promptIds.isEmpty else { throw ValidationError("--prompt encodes to no tokens") }
        guard promptIds.count + maxNewTokens <= model.rotary.positions else {
            throw ValidationError("prompt (\(promptIds.count) tokens) + --max-new-tokens exceeds the model's \(model.rotary.positions) positions")
        }
        var stops = Set(model.config.eosTokenIds.map { Int32($0) })
        if chat, let end = tokenizer.id(of: "<|im_end|>") { stops.insert(end) }
        let parameters = SamplingParameters(temperature: temperature, topK: topK, topP: topP, seed: seed,
                                            maxNewTokens: maxNewTokens, stopTokens: stops)
        var stream = StreamingDecoder(tokenizer: tokenizer)
        let start = clock.now
        var firstToken: ContinuousClock.Instant?
        let results = try Generator(model: model).generate([promptIds], parameters: parameters) { _, token in
            if firstToken == nil { firstToken = clock.now }
            if !json { FileHandle.standardOutput.write(Data(stream.push(token).utf8)) }
        }
        let end = clock.now
        let timings = GenerationTimings(load: loadSeconds, prefill: ((firstToken ?? end) - start).seconds,
                                        decode: (end - (firstToken ?? end)).seconds, tokens: results[0].tokens.count)
        if json {
            let object: [String: Any] = [
                "prompt_ids": promptIds.map(Int.init), "ids": results[0].tokens.map(Int.init),
                "text": tokenizer.decode(results[0].tokens), "finish_reason": results[0].finishReason.rawValue,
                "timings": timings.jsonObject,
            ]
            print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
        } else {
            print(stream.finish())
            FileHandle.standardError.write(Data((timings.line + "\n").utf8))
        }
    }
}
