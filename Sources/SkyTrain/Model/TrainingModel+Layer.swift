import SkyModel
import SkyTensor

/// What every layer of one forward shares: row positions and sequence boundaries.
struct LayerContext: Sendable {
    /// Position of each row within its sequence (N).
    let positions: [Int32]
    /// Rows of each sequence.
    let sequenceRows: [Range<Int>]
}

extension TrainingModel {
    /// Block `l` on its input (N, C): the output (N, C) and everything its backward needs. The same call
    /// recomputes a checkpointed layer, given the dropout generator as it stood when the forward reached it.
    func forwardLayer(_ l: Int, input x: Tensor, context: LayerContext, weights: ModelWeights, adapters: LoRAAdapters?,
                      rng: inout SeededGenerator?) -> (output: Tensor, saved: Activations.Layer) {
        let n = x.rowCount, c = config.hiddenSize, f = config.intermediateSize
        let qw = config.numAttentionHeads * config.headDim, kw = config.numKeyValueHeads * config.headDim
        let linear = AdaptedLinear(backend: backend, scaling: adapters?.lora.scaling ?? 0)
        let w = weights.layers[l], positions = context.positions
        let pairs = adapters?.layers[l] ?? [:]
        var lora: [LoRATarget: LoRASaved] = [:]
        for target in LoRATarget.allCases where pairs[target] != nil {
            lora[target] = LoRASaved(rows: n, input: target.dimensions(config: config).input, rank: adapters?.lora.rank ?? 0,
                                     dropout: adapters?.lora.dropout ?? 0, rng: &rng, backend: backend)
        }
        let normed1 = backend.zeros([n, c]), q = backend.zeros([n, qw]), k = backend.zeros([n, kw]), v = backend.zeros([n, kw])
        backend.rmsNorm(normed1, x, weight: w.inputNorm, eps: config.rmsNormEps)
        linear.forward(q, normed1, weight: w.q, bias: w.qBias, adapter: pairs[.q], saved: lora[.q])
        linear.forward(k, normed1, weight: w.k, bias: w.kBias, adapter: pairs[.k], saved: lora[.k])
        linear.forward(v, normed1, weight: w.v, bias: w.vBias, adapter: pairs[.v], saved: lora[.v])
        backend.rope(q, q, positions: positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
        backend.rope(k, k, positions: positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
        let attended = backend.zeros([n, qw])
        for r in context.sequenceRows {
            backend.attention(attended.rows(r), q: q.rows(r), k: k.rows(r), v: v.rows(r), heads: config.numAttentionHeads,
                              kvHeads: config.numKeyValueHeads, headDim: config.headDim)
        }
        let middle = backend.zeros([n, c])
        linear.forward(middle, attended, weight: w.o, bias: nil, adapter: pairs[.o], saved: lora[.o])
        backend.add(middle, middle, x)
        let normed2 = backend.zeros([n, c]), gate = backend.zeros([n, f]), up = backend.zeros([n, f]), hidden = backend.zeros([n, f])
        backend.rmsNorm(normed2, middle, weight: w.postNorm, eps: config.rmsNormEps)
        linear.forward(gate, normed2, weight: w.gate, bias: nil, adapter: pairs[.gate], saved: lora[.gate])
        linear.forward(up, normed2, weight: w.up, bias: nil, adapter: pairs[.up], saved: lora[.up])
        backend.swiglu(hidden, gate: gate, up: up)
        let output = backend.zeros([n, c])
        linear.forward(output, hidden, weight: w.down, bias: nil, adapter: pairs[.down], saved: lora[.down])
        backend.add(output, output, middle)
        let saved = Activations.Layer(input: x, normed1: normed1, q: q, k: k, v: v, attended: attended, middle: middle,
                                      normed2: normed2, gate: gate, up: up, hidden: hidden, lora: lora)
        return (output, saved)
    }
}
