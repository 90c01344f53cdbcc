/// How the next token is chosen and when generation stops.
public struct SamplingParameters: Sendable, Equatable, Codable {
    /// 0 means greedy (argmax); otherwise logits are divided by it before sampling.
    public var temperature: Float
    /// Keep only the k most likely tokens (0 = no limit).
    public var topK: Int
    /// Keep the smallest set of tokens whose probability reaches p (1 = no limit).
    public var topP: Float
    /// Seed of the sampler; sequence i of a batch uses a generator derived from seed and i.
    public var seed: UInt64
    /// Generation stops after at most this many new tokens.
    public var maxNewTokens: Int
    /// Tokens that end a sequence (kept as its last token).
    public var stopTokens: Set<Int32>

    /// Sampling parameters; the defaults are greedy decoding of up to 256 tokens.
    public init(temperature: Float = 0, topK: Int = 0, topP: Float = 1, seed: UInt64 = 0, maxNewTokens: Int = 256, stopTokens: Set<Int32> = []) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.seed = seed
        self.maxNewTokens = maxNewTokens
        self.stopTokens = stopTokens
    }

    /// Greedy decoding, the paper's evaluation setting.
    public static func greedy(maxNewTokens: Int, stopTokens: Set<Int32> = []) -> SamplingParameters {
        SamplingParameters(maxNewTokens: maxNewTokens, stopTokens: stopTokens)
    }
}
