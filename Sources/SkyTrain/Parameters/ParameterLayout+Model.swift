public import SkyModel

extension ParameterLayout {
    /// Every weight of the model under its Hugging Face name, in checkpoint order (lm_head only when untied).
    public static func full(config: ModelConfig) -> ParameterLayout {
        let c = config.hiddenSize, f = config.intermediateSize, v = config.vocabSize
        let q = config.numAttentionHeads * config.headDim, kv = config.numKeyValueHeads * config.headDim
        var tensors: [(name: String, shape: [Int])] = [("model.embed_tokens.weight", [v, c])]
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            tensors += [(p + "input_layernorm.weight", [c]), (p + "self_attn.q_proj.weight", [q, c]),
                        (p + "self_attn.k_proj.weight", [kv, c]), (p + "self_attn.v_proj.weight", [kv, c]),
                        (p + "self_attn.o_proj.weight", [c, q])]
            if config.attentionBias {
                tensors += [(p + "self_attn.q_proj.bias", [q]), (p + "self_attn.k_proj.bias", [kv]), (p + "self_attn.v_proj.bias", [kv])]
            }
            tensors += [(p + "post_attention_layernorm.weight", [c]), (p + "mlp.gate_proj.weight", [f, c]),
                        (p + "mlp.up_proj.weight", [f, c]), (p + "mlp.down_proj.weight", [c, f])]
        }
        tensors.append(("model.norm.weight", [c]))
        if !config.tieWordEmbeddings { tensors.append(("lm_head.weight", [v, c])) }
        return ParameterLayout(tensors)
    }

    /// lora_A (r, in) and lora_B (out, r) of every targeted projection in every layer, under PEFT's names.
    public static func lora(config: ModelConfig, lora: LoRAConfig) -> ParameterLayout {
        var tensors: [(name: String, shape: [Int])] = []
        for i in 0..<config.numHiddenLayers {
            for target in LoRATarget.allCases where lora.targets.contains(target) {
                let (input, output) = target.dimensions(config: config)
                let p = target.peftPrefix(layer: i)
                tensors += [(p + "lora_A.weight", [lora.rank, input]), (p + "lora_B.weight", [output, lora.rank])]
            }
        }
        return ParameterLayout(tensors)
    }
}
