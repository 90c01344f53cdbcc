public import Foundation
public import SkyTensor

/// A Qwen2 / Llama decoder-only transformer, following transformers' `modeling_qwen2.py` and
/// `modeling_llama.py` (pre-norm blocks, RMSNorm, rotate-half RoPE, grouped-query attention, SwiGLU MLP).
///
/// `forward` takes a ragged batch: each sequence brings its new tokens and its KV cache. The rows of all
/// sequences are stacked into one (N, C) activation so every linear layer is a single sgemm; only
/// attention runs per sequence, against that sequence's own cache.
public final class CausalLM: Sendable {
    /// The architecture.
    public let config: ModelConfig
    /// The parameters.
    public let weights: ModelWeights
    /// Where the tensors live and the ops run.
    public let backend: any Backend
    /// RoPE angles for every position the model can reach.
    public let rotary: RotaryTable
    /// A LoRA adapter applied on the fly (never merged into `weights`), or nil.
    public let adapter: LoRAAdapter?

    /// A model from loaded weights; `maxPositions` bounds the context (default: the config's).
    public convenience init(config: ModelConfig, weights: ModelWeights, backend: any Backend, maxPositions: Int? = nil) {
        self.init(config: config, weights: weights, backend: backend, maxPositions: maxPositions, checkedAdapter: nil)
    }

    /// A model whose projections add `adapter`'s update s·B·A·x; throws if the adapter's shapes do not fit `config`.
    public convenience init(config: ModelConfig, weights: ModelWeights, adapter: LoRAAdapter, backend: any Backend,
                            maxPositions: Int? = nil) throws(LoRAAdapterError) {
        try adapter.check(fits: config)
        self.init(config: config, weights: weights, backend: backend, maxPositions: maxPositions, checkedAdapter: adapter)
    }

    private init(config: ModelConfig, weights: ModelWeights, backend: any Backend, maxPositions: Int?, checkedAdapter: LoRAAdapter?) {
        self.config = config
        self.weights = weights
        self.backend = backend
        adapter = checkedAdapter
        rotary = RotaryTable(config: config, positions: maxPositions ?? config.maxPositionEmbeddings, backend: backend)
    }

    /// Loads config.json and the safetensors weights (single or sharded) of a Hugging Face model directory; `matrices`
    /// as `ModelWeights` takes it.
    public static func load(directory: URL, backend: any Backend, maxPositions: Int? = nil, matrices: DType = .float32) throws -> CausalLM {
        let config = try ModelConfig(contentsOf: directory)
        let source = try ShardedCheckpoint.open(modelDirectory: directory.path)
        return CausalLM(config: config, weights: try ModelWeights(config: config, source: source, backend: backend, matrices: matrices),
                        backend: backend, maxPositions: maxPositions)
    }

    /// A KV cache for one sequence of up to `capacity` positions.
    public func makeCache(capacity: Int) -> KVCache {
        KVCache(config: config, capacity: min(capacity, rotary.positions), backend: backend)
    }

    /// Runs each sequence's new `tokens` through the model, appending to its cache.
    ///
    /// Returns logits (N, V) for every new token when `allLogits`, else (B, V) for each sequence's last token.
    public func forward(_ batch: [(tokens: [Int32], cache: KVCache)], allLogits: Bool = false) throws -> Tensor {
        var ids: [Int32] = [], positions: [Int32] = [], rowStarts: [Int] = []
        var seen = Set<ObjectIdentifier>()
        for (s, item) in batch.enumerated() {
            guard !item.tokens.isEmpty else { throw ForwardError.emptyInput(sequence: s) }
            guard seen.insert(ObjectIdentifier(item.cache)).inserted else { throw ForwardError.sharedCache(sequence: s) }
            let needed = item.cache.length + item.tokens.count
            guard needed <= item.cache.capacity else { throw ForwardError.contextFull(needed: needed, capacity: item.cache.capacity) }
            for token in item.tokens where token < 0 || Int(token) >= config.vocabSize {
                throw ForwardError.tokenOutOfRange(id: token, vocabularySize: config.vocabSize)
            }
            rowStarts.append(ids.count)
            ids += item.tokens
            positions += (item.cache.length..<needed).map { Int32($0) }
        }
        let n = ids.count, c = config.hiddenSize
        let x = backend.zeros([n, c])  // residual stream (N, C)
        backend.embedding(x, ids: ids, table: weights.embedding)
        let b = LayerBuffers(config: config, rows: n, rank: adapter?.config.rank, backend: backend)
        // Inference keeps one residual stream, updated in place, and lets buffers no later step reads share memory.
        let outputs = DecoderBlock.Outputs(normed1: b.normed, q: b.q, k: b.k, v: b.v, attended: b.attended, middle: b.middle,
                                           normed2: b.normed, gate: b.gate, up: b.up, hidden: b.gate, output: x)
        for (l, layer) in weights.layers.enumerated() {
            let pairs = adapter?.layers[l] ?? [:]
            DecoderBlock.forward(config: config, backend: backend, rotary: rotary, layer: layer, input: x, positions: positions, into: outputs,
                                 project: { module, out, input, weight, bias in project(out, input, weight, bias: bias, pairs[module], b) },
                                 attend: { q, k, v, out in attend(q, k, v, out, layer: l, batch: batch, rowStarts: rowStarts) })
        }
        for item in batch { item.cache.length += item.tokens.count }
        let h = b.normed
        backend.rmsNorm(h, x, weight: weights.finalNorm, eps: config.rmsNormEps)
        var selected = h
        if !allLogits {
            selected = backend.zeros([batch.count, c])  // (B, C): the last row of each sequence
            for (s, item) in batch.enumerated() {
                let last = rowStarts[s] + item.tokens.count - 1
                backend.copy(selected.rows(s..<(s + 1)), h.rows(last..<(last + 1)))
            }
        }
        let logits = backend.zeros([selected.shape[0], config.vocabSize])  // (N or B, V)
        backend.linear(logits, selected, weights.lmHead, bias: nil)
        return logits
    }

    /// Appends each sequence's new k, v rows to its cache for layer `l`, then attends its queries over the whole cache.
    private func attend(_ q: Tensor, _ k: Tensor, _ v: Tensor, _ out: Tensor, layer l: Int, batch: [(tokens: [Int32], cache: KVCache)],
                        rowStarts: [Int]) {
        for (s, item) in batch.enumerated() {
            let rows = rowStarts[s]..<(rowStarts[s] + item.tokens.count)
            let past = item.cache.length, total = past + item.tokens.count
            backend.copy(item.cache.keys[l].rows(past..<total), k.rows(rows))
            backend.copy(item.cache.values[l].rows(past..<total), v.rows(rows))
            backend.attention(out.rows(rows), q: q.rows(rows), k: item.cache.keys[l].rows(0..<total),
                              v: item.cache.values[l].rows(0..<total), heads: config.numAttentionHeads,
                              kvHeads: config.numKeyValueHeads, headDim: config.headDim)
        }
    }

    /// out = input·Wᵀ + bias, plus s·(input·Aᵀ)·Bᵀ when adapted: two thin GEMMs through an (N, r) buffer, so
    /// W + s·B·A is never formed.
    private func project(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?, _ pair: LoRAAdapter.Pair?, _ b: LayerBuffers) {
        backend.linear(out, input, weight, bias: bias)
        guard let pair, let hidden = b.loraHidden, let adapter else { return }
        backend.linear(hidden, input, pair.a, bias: nil)  // (N, r)
        backend.matmul(out, hidden, pair.b, transposeA: false, transposeB: true, alpha: adapter.scaling, beta: 1)
    }
}

/// Activations reused by every layer of one forward pass.
private struct LayerBuffers {
    let normed, q, k, v, attended, middle, gate, up: Tensor
    /// input·Aᵀ (N, r) of the adapted projection being computed; nil without an adapter.
    let loraHidden: Tensor?

    init(config: ModelConfig, rows n: Int, rank: Int?, backend: any Backend) {
        let qWidth = config.numAttentionHeads * config.headDim, kvWidth = config.numKeyValueHeads * config.headDim
        normed = backend.zeros([n, config.hiddenSize])
        q = backend.zeros([n, qWidth])
        k = backend.zeros([n, kvWidth])
        v = backend.zeros([n, kvWidth])
        attended = backend.zeros([n, qWidth])
        middle = backend.zeros([n, config.hiddenSize])
        gate = backend.zeros([n, config.intermediateSize])
        up = backend.zeros([n, config.intermediateSize])
        loraHidden = rank.map { backend.zeros([n, $0]) }
    }
}
