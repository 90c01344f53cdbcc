public import SkyModel

/// The floating-point operations of one training step, as `skyctl bench train` and BENCHMARKS.md count them.
///
/// One multiply-add is 2 FLOPs. With T tokens in the step, S the sequence length, L layers, d = NH·HD the
/// attention width and P the parameters that take part in a matrix product (every non-embedding weight plus
/// the V×C LM head, which is a real GEMM even when tied; the embedding lookup is a gather and counts 0):
/// - full fine-tuning: 6·P·T (forward 2·P·T, input gradients 2·P·T, weight gradients 2·P·T) + attention;
/// - LoRA: 2·P·T forward and 2·P·T input gradients through the frozen base, 6·P_lora·T for the adapters, + attention;
/// - attention: QKᵀ and PV are 4·T·S·d per layer forward over the whole square and the backward twice that,
///   but only the causal half is visible and computed, so 12·L·T·d·(S+1)/2 ≈ 6·L·T·S·d.
/// Norms, RoPE, SwiGLU, softmax, the loss and AdamW are not counted.
public enum TrainingFlops {
    /// Weights that take part in a matrix product: non-embedding parameters plus one V×C LM head.
    public static func matmulParameters(config: ModelConfig) -> Double {
        Double(config.nonEmbeddingParameterCount + config.vocabSize * config.hiddenSize)
    }

    /// Causal attention's QKᵀ and PV, forward and backward, for `tokens` tokens in sequences of `sequenceLength`.
    public static func attention(config: ModelConfig, tokens: Int, sequenceLength: Int) -> Double {
        let d = Double(config.numAttentionHeads * config.headDim)
        return 12 * Double(config.numHiddenLayers) * Double(tokens) * d * Double(sequenceLength + 1) / 2
    }

    /// One step of `mode` over `tokens` tokens in sequences of `sequenceLength`.
    public static func step(config: ModelConfig, mode: TrainingMode, tokens: Int, sequenceLength: Int) -> Double {
        let p = matmulParameters(config: config), t = Double(tokens)
        let products: Double
        switch mode {
        case .full:
            products = 6 * p * t
        case let .lora(lora):
            products = 4 * p * t + 6 * Double(ParameterLayout.lora(config: config, lora: lora).count) * t
        }
        return products + attention(config: config, tokens: tokens, sequenceLength: sequenceLength)
    }
}
