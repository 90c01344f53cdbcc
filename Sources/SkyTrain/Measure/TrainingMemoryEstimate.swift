public import SkyModel

/// The memory one training step should need, term by term, from the shapes alone (float32 throughout).
///
/// Weights, gradients and AdamW's m and v are the trainer's buffers. Activations are what the forward keeps
/// for the backward (`Activations`): per layer and token 4·C + 2·NH·HD + 2·NKV·HD + 3·F floats (+ r per LoRA
/// adapter), then the final norm's input and output and the logits. With gradient checkpointing only each
/// layer's input stays, and one layer's full set lives at a time while the backward recomputes it. The
/// backward's own buffers (dlogits and the per-layer gradients it reuses) are a separate term.
public struct TrainingMemoryEstimate: Sendable, Equatable {
    /// One named amount, in bytes.
    public struct Term: Sendable, Equatable {
        /// What the bytes hold.
        public let name: String
        /// How many.
        public let bytes: Int
    }

    /// The terms, in the order they are printed.
    public let terms: [Term]

    /// Σ of the terms.
    public var totalBytes: Int { terms.reduce(0) { $0 + $1.bytes } }

    /// The estimate for `mode` over `tokens` tokens per micro-batch.
    public init(config: ModelConfig, mode: TrainingMode, tokens n: Int, checkpointing: Bool) {
        let c = config.hiddenSize, f = config.intermediateSize, v = config.vocabSize, layers = config.numHiddenLayers
        let qw = config.numAttentionHeads * config.headDim, kw = config.numKeyValueHeads * config.headDim
        let floats = 4, p = config.parameterCount
        var terms: [Term] = []
        var adapterWidth = 0
        switch mode {
        case .full:
            terms.append(Term(name: "weights", bytes: floats * p))
            terms.append(Term(name: "gradients", bytes: floats * p))
            terms.append(Term(name: "AdamW m and v", bytes: 2 * floats * p))
        case let .lora(lora):
            let adapters = ParameterLayout.lora(config: config, lora: lora).count
            adapterWidth = lora.rank * lora.targets.count
            terms.append(Term(name: "frozen weights", bytes: floats * p))
            terms.append(Term(name: "adapter weights", bytes: floats * adapters))
            terms.append(Term(name: "adapter gradients", bytes: floats * adapters))
            terms.append(Term(name: "AdamW m and v", bytes: 2 * floats * adapters))
        }
        let perLayer = 4 * c + 2 * qw + 2 * kw + 3 * f + adapterWidth
        let kept = checkpointing ? layers * c + perLayer : layers * perLayer
        terms.append(Term(name: checkpointing ? "activations (layer inputs + one layer recomputed)" : "activations",
                          bytes: floats * n * (kept + 2 * c + v + 1)))
        terms.append(Term(name: "backward buffers", bytes: floats * n * (v + 2 * c + 3 * f + 3 * qw + 3 * kw)))
        self.terms = terms
    }
}
