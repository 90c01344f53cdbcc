public import SkyTensor

/// Picks the next token from logits, with Hugging Face's order: temperature, top-k, top-p (`TokenSampling`).
public enum Sampler {
    /// The index of the largest logit (the first one on ties, as torch.argmax).
    public static func argmax(_ logits: ArraySlice<Float>) -> Int {
        var best = logits.startIndex
        for i in logits.indices where logits[i] > logits[best] { best = i }
        return best - logits.startIndex
    }

    /// The next token id for `logits` (V) under `parameters`, drawing randomness from `rng`.
    public static func sample(_ logits: ArraySlice<Float>, parameters: SamplingParameters, rng: inout SeededGenerator) -> Int32 {
        if parameters.temperature <= 0 { return Int32(argmax(logits)) }
        let sampling = parameters.tokenSampling
        return sampling.pick(sampling.probabilities(Array(logits)), draw: uniform(&rng))
    }

    /// The next token of every row of `logits` (B, V), picked on `backend` (greedy, or sampled with row r's draw
    /// from `rngs[r]`): on a device only B ids come back. Each row's generator advances exactly as `sample` advances it.
    public static func next(_ logits: Tensor, backend: any Backend, parameters: SamplingParameters,
                            rngs: inout [SeededGenerator]) -> [Int32] {
        if parameters.temperature <= 0 { return backend.argmax(logits) }
        let draws = rngs.indices.map { uniform(&rngs[$0]) }
        return backend.sample(logits, parameters.tokenSampling, draws: draws)
    }

    /// Softmax of logits / temperature after top-k and top-p filtering (filtered tokens get 0).
    public static func filteredProbabilities(_ logits: [Float], parameters: SamplingParameters) -> [Float] {
        parameters.tokenSampling.probabilities(logits)
    }

    /// Uniform in [0, 1) from the top 53 bits of the generator's next value.
    static func uniform(_ rng: inout SeededGenerator) -> Double {
        Double(rng.next() >> 11) * 0x1p-53
    }
}

extension SamplingParameters {
    /// The rule a backend samples with.
    public var tokenSampling: TokenSampling { TokenSampling(temperature: temperature, topK: topK, topP: topP) }
}
