/// A named model size for `skyctl model init`: widths and depth, with the vocabulary left to the tokenizer.
public struct ModelPreset: Sendable, Equatable {
    /// The name users type (`tiny`, `small`, …).
    public var name: String
    /// Model width (C).
    public var hiddenSize: Int
    /// MLP width (F).
    public var intermediateSize: Int
    /// Transformer blocks.
    public var layers: Int
    /// Query heads (NH).
    public var heads: Int
    /// Key/value heads (NKV).
    public var kvHeads: Int
    /// Context length written to config.json.
    public var maxPositions: Int
    /// One line saying what the preset is for.
    public var purpose: String
    /// RoPE base when the family's (1,000,000 for Qwen2.5, 500,000 for Llama 3) does not suit the preset.
    public var ropeTheta: Double? = nil

    /// Every preset, smallest first.
    public static let all: [ModelPreset] = [
        ModelPreset(name: "tiny", hiddenSize: 64, intermediateSize: 176, layers: 2, heads: 4, kvHeads: 2, maxPositions: 1024,
                    // 16-wide heads over short contexts: with a base of 10⁶ only two of the eight rotation
                    // frequencies tell positions a few tokens apart; 10⁴ spreads them over the range in use.
                    purpose: "tests, smoke runs and the synthetic experiments; trains in seconds", ropeTheta: 10_000),
        ModelPreset(name: "small", hiddenSize: 256, intermediateSize: 704, layers: 4, heads: 4, kvHeads: 2, maxPositions: 2048,
                    purpose: "laptop-scale experiments on the synthetic task"),
        ModelPreset(name: "25m", hiddenSize: 512, intermediateSize: 1408, layers: 8, heads: 8, kvHeads: 2, maxPositions: 2048,
                    purpose: "the `skyctl bench model` size (26.8M parameters with an 8,192-token vocabulary)"),
        ModelPreset(name: "qwen2.5-0.5b", hiddenSize: 896, intermediateSize: 4864, layers: 24, heads: 14, kvHeads: 2, maxPositions: 32768,
                    purpose: "Qwen2.5-0.5B's shapes (494M parameters with its 151,936-token vocabulary)"),
    ]

    /// The preset called `name`, or nil.
    public static func named(_ name: String) -> ModelPreset? {
        all.first { $0.name == name.lowercased() }
    }

    /// The config for this preset in `modelType` with `vocabularySize` embedding rows and tied embeddings.
    ///
    /// RoPE bases follow the families, 1,000,000 for Qwen2.5 and 500,000 for Llama 3, unless the preset sets one.
    public func config(modelType: ModelConfig.ModelType, vocabularySize: Int, bosTokenId: Int? = nil, eosTokenIds: [Int] = []) -> ModelConfig {
        ModelConfig(modelType: modelType, vocabSize: vocabularySize, hiddenSize: hiddenSize, intermediateSize: intermediateSize,
                    numHiddenLayers: layers, numAttentionHeads: heads, numKeyValueHeads: kvHeads,
                    rmsNormEps: modelType == .qwen2 ? 1e-6 : 1e-5, ropeTheta: ropeTheta ?? (modelType == .qwen2 ? 1_000_000 : 500_000),
                    tieWordEmbeddings: true, maxPositionEmbeddings: maxPositions, bosTokenId: bosTokenId, eosTokenIds: eosTokenIds)
    }

    /// A help line: shapes, non-embedding parameters and the embedding's share per vocabulary row.
    public var summary: String {
        let body = config(modelType: .qwen2, vocabularySize: 1).nonEmbeddingParameterCount
        return "\(name): C=\(hiddenSize) F=\(intermediateSize) L=\(layers) heads=\(heads)/\(kvHeads); "
            + "\(ParameterCountFormat.short(body)) params + V×\(hiddenSize) embedding (Qwen2; Llama has no q/k/v biases) — \(purpose)"
    }
}
