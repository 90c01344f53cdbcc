public import SkyModel
public import SkyTensor

extension ModelWeights {
    /// Views of every weight inside `buffer` laid out by `ParameterLayout.full(config:)`; with tied
    /// embeddings lm_head is the embedding view, so its gradient adds into the embedding's.
    public init(viewing buffer: Tensor, layout: ParameterLayout, config: ModelConfig) {
        func t(_ name: String) -> Tensor { layout.view(of: name, in: buffer) }
        let layers = (0..<config.numHiddenLayers).map { i in
            let p = "model.layers.\(i)."
            let bias = config.attentionBias
            return Layer(inputNorm: t(p + "input_layernorm.weight"), q: t(p + "self_attn.q_proj.weight"),
                         k: t(p + "self_attn.k_proj.weight"), v: t(p + "self_attn.v_proj.weight"), o: t(p + "self_attn.o_proj.weight"),
                         qBias: bias ? t(p + "self_attn.q_proj.bias") : nil, kBias: bias ? t(p + "self_attn.k_proj.bias") : nil,
                         vBias: bias ? t(p + "self_attn.v_proj.bias") : nil, postNorm: t(p + "post_attention_layernorm.weight"),
                         gate: t(p + "mlp.gate_proj.weight"), up: t(p + "mlp.up_proj.weight"), down: t(p + "mlp.down_proj.weight"))
        }
        let embedding = t("model.embed_tokens.weight")
        self.init(embedding: embedding, layers: layers, finalNorm: t("model.norm.weight"),
                  lmHead: config.tieWordEmbeddings ? embedding : t("lm_head.weight"))
    }

    /// Copies these weights into `buffer` at their places in `layout` (to start full fine-tuning from a checkpoint).
    public func copy(into buffer: Tensor, layout: ParameterLayout, config: ModelConfig, backend: any Backend) {
        for (name, tensor) in namedTensors(config: config) {
            backend.copy(layout.view(of: name, in: buffer), tensor)
        }
    }
}
