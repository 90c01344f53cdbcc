public import SkyModel
import SkyTensor

/// Draws n samples for each of many problems on one model, batched across problems and samples with
/// continuous batching: up to `maxBatchSize` sequences are in flight, and a finished sequence's slot is
/// refilled with the next one at the following step, its prompt prefilled alongside the others' decode tokens.
///
/// Sample i of problem k draws from its own generator seeded by (parameters.seed, k's key, i), so outputs do
/// not depend on batch size, on order, or on which problems a resumed run still has to do. Greedy decoding
/// (temperature 0) computes one sequence per problem and reports it n times.
public struct EvalSampler: Sendable {
    /// The model (with its adapter, if any).
    public let model: CausalLM
    /// Most sequences in one forward pass.
    public let maxBatchSize: Int
    /// Most prompt tokens admitted into one forward pass (at least one prompt is always admitted), bounding
    /// activation memory when many long prompts start together.
    public let maxPrefillTokens: Int

    /// A sampler over `model`.
    public init(model: CausalLM, maxBatchSize: Int = 32, maxPrefillTokens: Int = 8192) {
        self.model = model
        self.maxBatchSize = maxBatchSize
        self.maxPrefillTokens = maxPrefillTokens
    }

    /// One sequence in flight.
    private struct Slot {
        let problem: Int, sample: Int
        let cache: KVCache
        var rng: SeededGenerator
        var tokens: [Int32] = []
        var input: [Int32]
    }

    /// Samples `samplesPerProblem` continuations of every prompt under `parameters` (whose `seed` is the base
    /// seed), calling `onProblem` as soon as all samples of a problem are done; returns every problem in
    /// prompt order. Checks for cancellation before each forward pass and throws `CancellationError`.
    public func sample(_ prompts: [EvalPrompt], samplesPerProblem n: Int, parameters: SamplingParameters,
                       onProblem: (SampledProblem) async throws -> Void = { _ in }) async throws -> [SampledProblem] {
        try validate(prompts, samplesPerProblem: n, parameters: parameters)
        let greedy = parameters.temperature <= 0
        let seeds = prompts.map { p in (0..<n).map { Self.sampleSeed(base: parameters.seed, problemKey: p.key, sample: $0) } }
        var done: [[GeneratedSample?]] = prompts.map { _ in Array(repeating: nil, count: n) }
        var remaining = prompts.map { _ in greedy ? 1 : n }
        var results: [SampledProblem?] = Array(repeating: nil, count: prompts.count)
        // Problem-major, so the first problems finish (and stream out) first.
        let queue = prompts.indices.flatMap { p in (0..<(greedy ? 1 : n)).map { (p, $0) } }
        var next = 0
        var active: [Slot] = []
        while next < queue.count || !active.isEmpty {
            try Task.checkCancellation()
            var prefill = 0
            while active.count < maxBatchSize, next < queue.count {
                let (p, s) = queue[next]
                let length = prompts[p].tokens.count
                if prefill > 0, prefill + length > maxPrefillTokens { break }
                prefill += length
                active.append(Slot(problem: p, sample: s, cache: model.makeCache(capacity: length + parameters.maxNewTokens),
                                   rng: SeededGenerator(seed: seeds[p][s]), input: prompts[p].tokens))
                next += 1
            }
            var finished: [Int] = []  // problems completed by this step
            func finish(_ slot: Slot, _ reason: GenerationResult.FinishReason) {
                let copies = greedy ? 0..<n : slot.sample..<(slot.sample + 1)
                for i in copies {
                    done[slot.problem][i] = GeneratedSample(index: i, tokens: slot.tokens, finishReason: reason, seed: seeds[slot.problem][i])
                }
                remaining[slot.problem] -= 1
                if remaining[slot.problem] == 0 { finished.append(slot.problem) }
            }
            if parameters.maxNewTokens == 0 {
                for slot in active { finish(slot, .length) }
                active = []
            } else {
                let logits = try model.forward(active.map { ($0.input, $0.cache) })  // (B, V)
                // Picked on the backend (a device hands back B ids); each slot's generator advances as Sampler.sample's.
                var rngs = active.map(\.rng)
                let tokens = Sampler.next(logits, backend: model.backend, parameters: parameters, rngs: &rngs)
                try model.backend.checkForFailure()
                var still: [Slot] = []
                for (row, var slot) in active.enumerated() {
                    slot.rng = rngs[row]
                    let token = tokens[row]
                    slot.tokens.append(token)
                    if parameters.stopTokens.contains(token) {
                        finish(slot, .stop)
                    } else if slot.tokens.count >= parameters.maxNewTokens {
                        finish(slot, .length)
                    } else {
                        slot.input = [token]
                        still.append(slot)
                    }
                }
                active = still
            }
            for p in finished {
                let problem = SampledProblem(key: prompts[p].key, promptTokens: prompts[p].tokens.count, samples: done[p].map { $0! })
                results[p] = problem
                try await onProblem(problem)
            }
            await Task.yield()
        }
        return results.map { $0! }
    }

    private func validate(_ prompts: [EvalPrompt], samplesPerProblem n: Int, parameters: SamplingParameters) throws(EvalSamplerError) {
        guard n >= 1 else { throw .invalidSetting(name: "samples per problem", value: n) }
        guard maxBatchSize >= 1 else { throw .invalidSetting(name: "max batch size", value: maxBatchSize) }
        guard maxPrefillTokens >= 1 else { throw .invalidSetting(name: "max prefill tokens", value: maxPrefillTokens) }
        var keys = Set<String>()
        let vocab = model.config.vocabSize, positions = model.rotary.positions
        for prompt in prompts {
            guard keys.insert(prompt.key).inserted else { throw .duplicateKey(prompt.key) }
            guard !prompt.tokens.isEmpty else { throw .emptyPrompt(key: prompt.key) }
            guard prompt.tokens.count + parameters.maxNewTokens <= positions else {
                throw .promptTooLong(key: prompt.key, promptTokens: prompt.tokens.count, maxNewTokens: parameters.maxNewTokens, positions: positions)
            }
            if let i = prompt.tokens.firstIndex(where: { $0 < 0 || Int($0) >= vocab }) {
                throw .tokenOutOfRange(key: prompt.key, index: i, id: prompt.tokens[i], vocabularySize: vocab)
            }
        }
    }
}
