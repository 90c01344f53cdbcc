import Foundation

/// Picks the next token from one row of logits, with Hugging Face's order: temperature, top-k, top-p.
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
        let probabilities = filteredProbabilities(Array(logits), parameters: parameters)
        var draw = Double(rng.next() >> 11) * 0x1p-53  // uniform in [0, 1)
        var last = 0
        for (i, p) in probabilities.enumerated() where p > 0 {
            last = i
            draw -= Double(p)
            if draw < 0 { return Int32(i) }
        }
        return Int32(last)  // rounding left a sliver: the last token still allowed
    }

    /// Softmax of logits / temperature after top-k and top-p filtering (filtered tokens get 0).
    public static func filteredProbabilities(_ logits: [Float], parameters: SamplingParameters) -> [Float] {
        var scores = logits.map { $0 / parameters.temperature }
        if parameters.topK > 0, parameters.topK < scores.count {
            // TopKLogitsWarper: drop scores below the k-th largest (ties with it survive).
            let threshold = scores.sorted(by: >)[parameters.topK - 1]
            for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
        }
        var probabilities = softmax(scores)
        if parameters.topP < 1 {
            // TopPLogitsWarper: sort ascending, drop the low tail whose cumulative mass is ≤ 1 − p, keep ≥ 1 token.
            let order = probabilities.indices.sorted { (probabilities[$0], $1) < (probabilities[$1], $0) }
            var cumulative: Float = 0
            for (rank, i) in order.enumerated() where rank < order.count - 1 {
                cumulative += probabilities[i]
                if cumulative <= 1 - parameters.topP { scores[i] = -.infinity }
            }
            probabilities = softmax(scores)
        }
        return probabilities
    }

    static func softmax(_ scores: [Float]) -> [Float] {
        let top = scores.max() ?? 0
        let exps = scores.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}
