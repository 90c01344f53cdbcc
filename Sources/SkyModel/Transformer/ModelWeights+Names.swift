public import SkyTensor
import Foundation

extension ModelWeights {
    /// Every parameter under its Hugging Face name, in checkpoint order; lm_head is left out when tied.
    public func namedTensors(config: ModelConfig) -> [(name: String, tensor: Tensor)] {
        var out: [(String, Tensor)] = [("model.embed_tokens.weight", embedding)]
        for (i, layer) in layers.enumerated() {
            let p = "model.layers.\(i)."
            out += [(p + "input_layernorm.weight", layer.inputNorm), (p + "self_attn.q_proj.weight", layer.q),
                    (p + "self_attn.k_proj.weight", layer.k), (p + "self_attn.v_proj.weight", layer.v),
                    (p + "self_attn.o_proj.weight", layer.o)]
            if let b = layer.qBias { out.append((p + "self_attn.q_proj.bias", b)) }
            if let b = layer.kBias { out.append((p + "self_attn.k_proj.bias", b)) }
            if let b = layer.vBias { out.append((p + "self_attn.v_proj.bias", b)) }
            out += [(p + "post_attention_layernorm.weight", layer.postNorm), (p + "mlp.gate_proj.weight", layer.gate),
                    (p + "mlp.up_proj.weight", layer.up), (p + "mlp.down_proj.weight", layer.down)]
        }
        out.append(("model.norm.weight", finalNorm))
        if !config.tieWordEmbeddings { out.append(("lm_head.weight", lmHead)) }
        return out
    }

    /// Number of parameters, counting tied embeddings once (as `sum(p.numel() for p in model.parameters())`).
    public func parameterCount(config: ModelConfig) -> Int {
        namedTensors(config: config).reduce(0) { $0 + $1.tensor.count }
    }

    /// Random weights for `config` as transformers initialises them (normal(0, std), unit norms, zero biases).
    public static func random(config: ModelConfig, seed: UInt64, std: Float = 0.02, backend: any Backend) throws -> ModelWeights {
        try ModelWeights(config: config, source: RandomTensorSource(config: config, seed: seed, std: std), backend: backend)
    }
}

/// Serves every tensor a config needs with seeded random values, so random models reuse the loading path.
private struct RandomTensorSource: TensorSource {
    let shapes: [String: [Int]]
    let seed: UInt64
    let std: Float

    init(config: ModelConfig, seed: UInt64, std: Float) {
        let c = config.hiddenSize, f = config.intermediateSize, v = config.vocabSize
        let q = config.numAttentionHeads * config.headDim, kv = config.numKeyValueHeads * config.headDim
        var shapes: [String: [Int]] = ["model.embed_tokens.weight": [v, c], "model.norm.weight": [c], "lm_head.weight": [v, c]]
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            shapes[p + "input_layernorm.weight"] = [c]
            shapes[p + "post_attention_layernorm.weight"] = [c]
            shapes[p + "self_attn.q_proj.weight"] = [q, c]
            shapes[p + "self_attn.k_proj.weight"] = [kv, c]
            shapes[p + "self_attn.v_proj.weight"] = [kv, c]
            shapes[p + "self_attn.o_proj.weight"] = [c, q]
            shapes[p + "self_attn.q_proj.bias"] = [q]
            shapes[p + "self_attn.k_proj.bias"] = [kv]
            shapes[p + "self_attn.v_proj.bias"] = [kv]
            shapes[p + "mlp.gate_proj.weight"] = [f, c]
            shapes[p + "mlp.up_proj.weight"] = [f, c]
            shapes[p + "mlp.down_proj.weight"] = [c, f]
        }
        self.shapes = shapes
        self.seed = seed
        self.std = std
    }

    var tensorNames: [String] { shapes.keys.sorted() }

    func info(_ name: String) -> TensorInfo? {
        guard let shape = shapes[name] else { return nil }
        let bytes = shape.reduce(4, *)
        return TensorInfo(name: name, dtype: .f32, shape: shape, dataRange: 0..<bytes)
    }

    func floats(_ name: String) throws -> [Float] {
        guard let shape = shapes[name] else { throw SafetensorsError.missingTensor(name: name, source: "random") }
        let count = shape.reduce(1, *)
        if name.hasSuffix("norm.weight") { return Array(repeating: 1, count: count) }
        if name.hasSuffix(".bias") { return Array(repeating: 0, count: count) }
        // Each tensor gets its own stream (seed mixed with its name) so values do not depend on load order.
        var rng = SeededGenerator(seed: seed ^ UInt64(truncatingIfNeeded: name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }))
        return (0..<count).map { _ in
            // Box–Muller from two uniforms in (0, 1].
            let u1 = Float(rng.next() >> 40 + 1) * 0x1p-24, u2 = Float(rng.next() >> 40) * 0x1p-24
            return std * (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
        }
    }
}
