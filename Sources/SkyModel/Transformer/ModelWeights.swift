public import SkyTensor

/// The parameters of a Qwen2/Llama decoder in backend memory, under their Hugging Face names.
public struct ModelWeights: Sendable {
    /// One transformer block's parameters.
    public struct Layer: Sendable {
        /// input_layernorm (C)
        public var inputNorm: Tensor
        /// q_proj (NH·HD, C), k_proj and v_proj (NKV·HD, C), o_proj (C, NH·HD)
        public var q: Tensor, k: Tensor, v: Tensor, o: Tensor
        /// q/k/v biases (Qwen2), nil for Llama.
        public var qBias: Tensor?, kBias: Tensor?, vBias: Tensor?
        /// post_attention_layernorm (C)
        public var postNorm: Tensor
        /// gate_proj, up_proj (F, C); down_proj (C, F)
        public var gate: Tensor, up: Tensor, down: Tensor

        /// A block from its tensors (views into a trainer's parameter buffer, for instance).
        public init(inputNorm: Tensor, q: Tensor, k: Tensor, v: Tensor, o: Tensor, qBias: Tensor?, kBias: Tensor?, vBias: Tensor?,
                    postNorm: Tensor, gate: Tensor, up: Tensor, down: Tensor) {
            self.inputNorm = inputNorm
            self.q = q
            self.k = k
            self.v = v
            self.o = o
            self.qBias = qBias
            self.kBias = kBias
            self.vBias = vBias
            self.postNorm = postNorm
            self.gate = gate
            self.up = up
            self.down = down
        }
    }

    /// model.embed_tokens (V, C)
    public var embedding: Tensor
    /// The blocks, in order.
    public var layers: [Layer]
    /// model.norm (C)
    public var finalNorm: Tensor
    /// lm_head (V, C); the embedding table itself when embeddings are tied.
    public var lmHead: Tensor

    /// Weights from tensors already in backend memory; pass the embedding as `lmHead` when tied.
    public init(embedding: Tensor, layers: [Layer], finalNorm: Tensor, lmHead: Tensor) {
        self.embedding = embedding
        self.layers = layers
        self.finalNorm = finalNorm
        self.lmHead = lmHead
    }

    /// Loads every weight `config` needs from `source`; throws one error naming all missing or mis-shaped ones.
    /// With `matrices: .bfloat16`, weight matrices stored as bf16 stay bf16 (read in place where the backend can):
    /// half the bytes per decode step and no float32 copy of the model; the math is float32 either way.
    public init(config: ModelConfig, source: any TensorSource, backend: any Backend, matrices: DType = .float32) throws {
        var loader = WeightLoader(source: source, backend: backend, matrices: matrices)
        let c = config.hiddenSize, f = config.intermediateSize, v = config.vocabSize
        let qWidth = config.numAttentionHeads * config.headDim, kvWidth = config.numKeyValueHeads * config.headDim
        embedding = try loader.load("model.embed_tokens.weight", [v, c])
        layers = try (0..<config.numHiddenLayers).map { i in
            let p = "model.layers.\(i)."
            let bias = config.attentionBias
            return Layer(
                inputNorm: try loader.load(p + "input_layernorm.weight", [c]),
                q: try loader.load(p + "self_attn.q_proj.weight", [qWidth, c]),
                k: try loader.load(p + "self_attn.k_proj.weight", [kvWidth, c]),
                v: try loader.load(p + "self_attn.v_proj.weight", [kvWidth, c]),
                o: try loader.load(p + "self_attn.o_proj.weight", [c, qWidth]),
                qBias: bias ? try loader.load(p + "self_attn.q_proj.bias", [qWidth]) : nil,
                kBias: bias ? try loader.load(p + "self_attn.k_proj.bias", [kvWidth]) : nil,
                vBias: bias ? try loader.load(p + "self_attn.v_proj.bias", [kvWidth]) : nil,
                postNorm: try loader.load(p + "post_attention_layernorm.weight", [c]),
                gate: try loader.load(p + "mlp.gate_proj.weight", [f, c]),
                up: try loader.load(p + "mlp.up_proj.weight", [f, c]),
                down: try loader.load(p + "mlp.down_proj.weight", [c, f]))
        }
        finalNorm = try loader.load("model.norm.weight", [c])
        // Tied checkpoints usually omit lm_head; the one place tying is decided.
        lmHead = config.tieWordEmbeddings ? embedding : try loader.load("lm_head.weight", [v, c])
        try loader.finish()
    }
}

/// Loads weights while collecting every problem, so one error lists them all.
private struct WeightLoader {
    let source: any TensorSource
    let backend: any Backend
    let matrices: DType
    var missing: [String] = []
    var misshapen: [String] = []

    mutating func load(_ name: String, _ shape: [Int]) throws -> Tensor {
        // Placeholders are empty: `finish` throws anyway, and a hostile config must not make us allocate its sizes.
        guard let info = source.info(name) else {
            missing.append(name)
            return backend.zeros([0])
        }
        guard info.shape == shape else {
            misshapen.append("\(name): expected \(shape), found \(info.shape)")
            return backend.zeros([0])
        }
        if matrices == .bfloat16, shape.count == 2, let stored = source.bfloat16(name) {
            return backend.tensor(bfloat16: stored.bits, shape: shape, owner: stored.owner)
        }
        return backend.tensor(try source.floats(name), shape: shape)
    }

    func finish() throws {
        if !missing.isEmpty { throw ModelConfigError.missingWeights(missing) }
        if !misshapen.isEmpty { throw ModelConfigError.misshapenWeights(misshapen) }
    }
}

extension ModelWeights {
    /// The same weights with every matrix rounded to bfloat16 storage (nearest even, as PyTorch rounds) and vectors
    /// (norms, biases) kept float32: what loading a bf16 checkpoint with `matrices: .bfloat16` gives.
    public func withBFloat16Matrices(backend: any Backend) -> ModelWeights {
        func narrow(_ t: Tensor) -> Tensor {
            guard t.rank == 2, t.dtype == .float32 else { return t }
            let bits = backend.toArray(t).map(SafetensorsDType.bfloat16Bits)
            return bits.withUnsafeBufferPointer { backend.tensor(bfloat16: $0, shape: t.shape, owner: nil) }
        }
        let embedding = narrow(self.embedding)
        let tied = lmHead.storage === self.embedding.storage && lmHead.offset == self.embedding.offset
        return ModelWeights(
            embedding: embedding,
            layers: layers.map { l in
                Layer(inputNorm: l.inputNorm, q: narrow(l.q), k: narrow(l.k), v: narrow(l.v), o: narrow(l.o), qBias: l.qBias,
                      kBias: l.kBias, vBias: l.vBias, postNorm: l.postNorm, gate: narrow(l.gate), up: narrow(l.up), down: narrow(l.down))
            },
            finalNorm: finalNorm, lmHead: tied ? embedding : narrow(lmHead))
    }
}
