public import SkyModel

/// One sample of one problem: its tokens, why it ended, and the seed that drew it.
public struct GeneratedSample: Sendable, Equatable {
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
