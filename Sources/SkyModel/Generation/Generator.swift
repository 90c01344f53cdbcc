import SkyTensor

/// What one sequence generated and why it stopped.
public struct GenerationResult: Sendable, Equatable {
    /// Why generation ended.
    public enum FinishReason: String, Sendable, Equatable {
        /// A stop token was produced (it is the last of `tokens`).
        case stop
        /// `maxNewTokens` was reached.
        case length
    }

    /// The new tokens, without the prompt.
    public var tokens: [Int32]
    /// Why generation ended.
    public var finishReason: FinishReason
}

/// Generates continuations for several prompts at once: one batched prefill, then batched decode steps.
public struct Generator: Sendable {
    /// The model that scores tokens.
    public let model: CausalLM

    /// A generator over `model`.
    public init(model: CausalLM) {
        self.model = model
    }

    /// Continues every prompt under `parameters`; `onToken(sequence, token)` sees each token as it is chosen.
    ///
    /// Sequence i samples from its own generator seeded by (seed, i), so results do not depend on batching.
    public func generate(_ prompts: [[Int32]], parameters: SamplingParameters,
                         onToken: ((Int, Int32) -> Void)? = nil) throws -> [GenerationResult] {
        var results = prompts.map { _ in GenerationResult(tokens: [], finishReason: .length) }
        guard parameters.maxNewTokens > 0, !prompts.isEmpty else { return results }
        let caches = prompts.map { model.makeCache(capacity: $0.count + parameters.maxNewTokens) }
        var rngs = prompts.indices.map { SeededGenerator(seed: parameters.seed &+ UInt64($0) &* 0x9E37_79B9_7F4A_7C15) }
        var active = Array(prompts.indices)
        var inputs = prompts
        while !active.isEmpty {
            let logits = try model.forward(active.map { (inputs[$0], caches[$0]) })  // (B, V)
            // Tokens are picked on the backend: a device hands back B ids, not B·V floats.
            var rowRngs = active.map { rngs[$0] }
            let tokens = Sampler.next(logits, backend: model.backend, parameters: parameters, rngs: &rowRngs)
            for (row, s) in active.enumerated() { rngs[s] = rowRngs[row] }
            // A device that failed (out of memory) hands back zeros: stop here rather than keep them.
            try model.backend.checkForFailure()
            var stillActive: [Int] = []
            for (row, s) in active.enumerated() {
                let token = tokens[row]
                results[s].tokens.append(token)
                onToken?(s, token)
                if parameters.stopTokens.contains(token) {
                    results[s].finishReason = .stop
                } else if results[s].tokens.count < parameters.maxNewTokens {
                    inputs[s] = [token]
                    stillActive.append(s)
                }
            }
            active = stillActive
        }
        return results
    }
}
