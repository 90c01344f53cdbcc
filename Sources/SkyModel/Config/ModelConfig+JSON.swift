import Foundation

extension ModelConfig {
    /// The config as a Hugging Face `config.json` object (keys as transformers writes them).
    public func jsonObject() -> [String: Any] {
        var json: [String: Any] = [
            "model_type": modelType.rawValue,
            "architectures": [modelType == .qwen2 ? "Qwen2ForCausalLM" : "LlamaForCausalLM"],
            "vocab_size": vocabSize, "hidden_size": hiddenSize, "intermediate_size": intermediateSize,
            "num_hidden_layers": numHiddenLayers, "num_attention_heads": numAttentionHeads,
            "num_key_value_heads": numKeyValueHeads, "head_dim": headDim, "rms_norm_eps": Double(rmsNormEps),
            "rope_theta": ropeTheta, "tie_word_embeddings": tieWordEmbeddings,
            "max_position_embeddings": maxPositionEmbeddings, "hidden_act": "silu", "torch_dtype": "float32",
        ]
        if modelType == .llama { json["attention_bias"] = attentionBias }
        if let bosTokenId { json["bos_token_id"] = bosTokenId }
        if eosTokenIds.count == 1 { json["eos_token_id"] = eosTokenIds[0] } else if !eosTokenIds.isEmpty { json["eos_token_id"] = eosTokenIds }
        if let s = ropeScaling {
            json["rope_scaling"] = ["rope_type": "llama3", "factor": s.factor, "low_freq_factor": s.lowFreqFactor,
                                    "high_freq_factor": s.highFreqFactor, "original_max_position_embeddings": s.originalMaxPositionEmbeddings]
        }
        return json
    }
}
