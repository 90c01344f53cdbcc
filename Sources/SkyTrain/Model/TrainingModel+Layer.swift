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
    /// Block `l` on its input (N, C) through `DecoderBlock`, the forward inference runs too: the output (N, C) and
    /// everything its backward needs. The same call
    /// recomputes a checkpointed layer, given the dropout generator as it stood when the forward reached it.
    func forwardLayer(_ l: Int, input x: Tensor, context: LayerContext, weights: ModelWeights, adapters: LoRAAdapters?,
                      rng: inout SeededGenerator?) -> (output: Tensor, saved: Activations.Layer) {
        let n = x.rowCount
        let linear = AdaptedLinear(backend: backend, scaling: adapters?.lora.scaling ?? 0)
        let w = weights.layers[l], positions = context.positions
        let pairs = adapters?.layers[l] ?? [:]
        var lora: [LoRATarget: LoRASaved] = [:]
        for target in LoRATarget.allCases where pairs[target] != nil {
            lora[target] = LoRASaved(rows: n, input: target.dimensions(config: config).input, rank: adapters?.lora.rank ?? 0,
                                     dropout: adapters?.lora.dropout ?? 0, rng: &rng, backend: backend)
        }
        let o = DecoderBlock.Outputs.fresh(config: config, rows: n, backend: backend)
        DecoderBlock.forward(config: config, backend: backend, rotary: rotary, layer: w, input: x, positions: positions, into: o,
                             project: { module, out, input, weight, bias in
                                 linear.forward(out, input, weight: weight, bias: bias, adapter: pairs[module], saved: lora[module])
                             },
                             attend: { q, k, v, out in
                                 // Each sequence attends only to its own rows.
                                 for r in context.sequenceRows {
                                     backend.attention(out.rows(r), q: q.rows(r), k: k.rows(r), v: v.rows(r), heads: config.numAttentionHeads,
                                                       kvHeads: config.numKeyValueHeads, headDim: config.headDim)
                                 }
                             })
        let saved = Activations.Layer(input: x, normed1: o.normed1, q: o.q, k: o.k, v: o.v, attended: o.attended, middle: o.middle,
                                      normed2: o.normed2, gate: o.gate, up: o.up, hidden: o.hidden, lora: lora)
        let output = o.output
        return (output, saved)
    }
}
