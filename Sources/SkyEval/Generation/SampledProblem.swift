public import SkyModel

/// One sample of one problem: its tokens, why it ended, and the seed that drew it.
public struct EvalSample: Sendable, Equatable {
    /// 0 ..< samples per problem.
    public var index: Int
    /// The generated tokens, without the prompt; a stop token, when one ended it, is the last.
    public var tokens: [Int32]
    /// `.stop` (a stop token) or `.length` (max new tokens reached).
    public var finishReason: GenerationResult.FinishReason
    /// The seed of this sample's generator, derived from (base seed, problem key, index).
    public var seed: UInt64

    /// A finished sample.
    public init(index: Int, tokens: [Int32], finishReason: GenerationResult.FinishReason, seed: UInt64) {
        self.index = index
        self.tokens = tokens
        self.finishReason = finishReason
        self.seed = seed
    }
}

/// Every sample of one problem, reported as soon as the last of them finishes.
public struct SampledProblem: Sendable, Equatable {
    /// The problem's key.
    public var key: String
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// The samples, by index.
    public var samples: [EvalSample]

    /// A problem's samples.
    public init(key: String, promptTokens: Int, samples: [EvalSample]) {
        self.key = key
        self.promptTokens = promptTokens
        self.samples = samples
    }
}
