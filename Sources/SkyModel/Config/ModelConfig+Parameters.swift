extension ModelConfig {
    /// Every parameter's Hugging Face name and shape, in checkpoint order, computed from the config alone
    /// (no weights allocated); lm_head is left out when tied, as in `ModelWeights.namedTensors`.
    public func parameterShapes() -> [(name: String, shape: [Int])] {
        let c = hiddenSize, f = intermediateSize, v = vocabSize
        let q = numAttentionHeads * headDim, kv = numKeyValueHeads * headDim
        var out: [(String, [Int])] = [("model.embed_tokens.weight", [v, c])]
        for i in 0..<numHiddenLayers {
            let p = "model.layers.\(i)."
            out += [(p + "input_layernorm.weight", [c]), (p + "self_attn.q_proj.weight", [q, c]),
                    (p + "self_attn.k_proj.weight", [kv, c]), (p + "self_attn.v_proj.weight", [kv, c]),
                    (p + "self_attn.o_proj.weight", [c, q])]
            if attentionBias {
                out += [(p + "self_attn.q_proj.bias", [q]), (p + "self_attn.k_proj.bias", [kv]), (p + "self_attn.v_proj.bias", [kv])]
            }
            out += [(p + "post_attention_layernorm.weight", [c]), (p + "mlp.gate_proj.weight", [f, c]),
                    (p + "mlp.up_proj.weight", [f, c]), (p + "mlp.down_proj.weight", [c, f])]
        }
        out.append(("model.norm.weight", [c]))
        if !tieWordEmbeddings { out.append(("lm_head.weight", [v, c])) }
        return out
    }

    /// Number of parameters (tied embeddings once), equal to `ModelWeights.parameterCount` of any weights for it.
    public var parameterCount: Int {
        parameterShapes().reduce(0) { $0 + $1.shape.reduce(1, *) }
    }

    /// Parameters outside the embedding table (and outside an untied lm_head): what grows with depth and width.
    public var nonEmbeddingParameterCount: Int {
        parameterCount - vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2)
    }
}
