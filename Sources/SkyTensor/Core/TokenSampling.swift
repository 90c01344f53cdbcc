import Foundation

/// How the next token is drawn from a row of logits, in Hugging Face's order: temperature, then top-k, then top-p,
/// then the token where the cumulative probability (in vocabulary order) passes a uniform draw.
public struct TokenSampling: Sendable, Equatable {
    /// Logits are divided by it; must be > 0 (temperature 0 is greedy: `Backend.argmax`).
    public var temperature: Float
    /// Keep only the k most likely tokens (ties with the k-th survive); 0 keeps all.
    public var topK: Int
    /// Keep the most likely tokens whose probability reaches p (at least one); 1 keeps all.
    public var topP: Float

    /// A sampling rule from its parts.
    public init(temperature: Float, topK: Int = 0, topP: Float = 1) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// Softmax of logits / temperature after top-k and top-p filtering (filtered tokens get 0), as transformers'
    /// TopKLogitsWarper and TopPLogitsWarper compute it.
    public func probabilities(_ logits: [Float]) -> [Float] {
        var scores = logits.map { $0 / temperature }
        if topK > 0, topK < scores.count {
            // TopKLogitsWarper: drop scores below the k-th largest (ties with it survive).
            let threshold = scores.sorted(by: >)[topK - 1]
            for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
        }
        var probabilities = Self.softmax(scores)
        if topP < 1 {
            // TopPLogitsWarper: sort ascending, drop the low tail whose cumulative mass is ≤ 1 − p, keep ≥ 1 token.
            let order = probabilities.indices.sorted { (probabilities[$0], $1) < (probabilities[$1], $0) }
            var cumulative: Float = 0
            for (rank, i) in order.enumerated() where rank < order.count - 1 {
                cumulative += probabilities[i]
                if cumulative <= 1 - topP { scores[i] = -.infinity }
            }
            probabilities = Self.softmax(scores)
        }
        return probabilities
    }

    /// The token whose cumulative probability, in vocabulary order, first exceeds `draw` (uniform in [0, 1)).
    public func pick(_ probabilities: [Float], draw: Double) -> Int32 {
        var remaining = draw
        var last = 0
        for (i, p) in probabilities.enumerated() where p > 0 {
            last = i
            remaining -= Double(p)
            if remaining < 0 { return Int32(i) }
        }
        return Int32(last)  // rounding left a sliver: the last token still allowed
    }

    static func softmax(_ scores: [Float]) -> [Float] {
        let top = scores.max() ?? 0
        let exps = scores.map { Foundation.exp($0 - top) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}
