public import SkyModel
import SkyTensor

extension TrainingModel {
    /// Adds the gradients of `lossScale · Σ losses` into `gradients` (full weights; nil when frozen) and
    /// `adapterGradients` (LoRA; nil when none), walking the forward in exact reverse.
    ///
    /// With `lossScale` = 1 / (label tokens of every micro-batch of the step), accumulating the micro-batches
    /// gives the gradient of the mean loss over the whole step, as Hugging Face's Trainer computes it.
    public func backward(_ a: Activations, lossScale: Float, weights: ModelWeights, gradients: ModelWeights?,
                         adapters: LoRAAdapters? = nil, adapterGradients: LoRAAdapters? = nil) {
        let n = a.ids.count, c = config.hiddenSize, f = config.intermediateSize
        let qw = config.numAttentionHeads * config.headDim, kw = config.numKeyValueHeads * config.headDim
        let linear = AdaptedLinear(backend: backend, scaling: adapters?.lora.scaling ?? 0)
        let g = gradients
        // Loss and head: losses (N) → logits (N, V) → final norm (N, C) → residual stream.
        let dlosses = backend.zeros([n])
        backend.fill(dlosses, lossScale)
        let dlogits = backend.zeros([n, config.vocabSize])
        backend.crossEntropyBackward(dlogits, dlosses: dlosses, logits: a.logits, targets: a.targets)
        let dnormed = backend.zeros([n, c])
        backend.linearBackward(dnormed, g?.lmHead, nil, dout: dlogits, input: a.finalNormed, weight: weights.lmHead)
        let dx = backend.zeros([n, c])  // gradient of the residual stream (N, C), carried down through every block
        backend.rmsNormBackward(dx, g?.finalNorm, dout: dnormed, input: a.final, weight: weights.finalNorm, eps: config.rmsNormEps)

        let dhidden = backend.zeros([n, f]), dgate = backend.zeros([n, f]), dup = backend.zeros([n, f])
        let dattended = backend.zeros([n, qw]), dqRoped = backend.zeros([n, qw]), dq = backend.zeros([n, qw])
        let dkRoped = backend.zeros([n, kw]), dk = backend.zeros([n, kw]), dv = backend.zeros([n, kw])
        for l in weights.layers.indices.reversed() {
            let w = weights.layers[l], gl = g?.layers[l]
            let s = a.checkpoints.isEmpty ? a.layers[l] : recompute(l, a, weights: weights, adapters: adapters)
            let pairs = adapters?.layers[l] ?? [:], dpairs = adapterGradients?.layers[l] ?? [:]
            for buffer in [dhidden, dgate, dup, dattended, dqRoped, dq, dkRoped, dk, dv, dnormed] { backend.fill(buffer, 0) }
            // MLP: output = middle + down(silu(gate(h))·up(h)), h = norm(middle); dx flows to middle unchanged.
            linear.backward(dhidden, gl?.down, nil, dpairs[.down], dout: dx, input: s.hidden, weight: w.down, adapter: pairs[.down],
                            saved: s.lora[.down])
            backend.swigluBackward(dgate, dup, dout: dhidden, gate: s.gate, up: s.up)
            linear.backward(dnormed, gl?.gate, nil, dpairs[.gate], dout: dgate, input: s.normed2, weight: w.gate, adapter: pairs[.gate],
                            saved: s.lora[.gate])
            linear.backward(dnormed, gl?.up, nil, dpairs[.up], dout: dup, input: s.normed2, weight: w.up, adapter: pairs[.up],
                            saved: s.lora[.up])
            backend.rmsNormBackward(dx, gl?.postNorm, dout: dnormed, input: s.middle, weight: w.postNorm, eps: config.rmsNormEps)
            // Attention: middle = input + o(attention(rope(q(h)), rope(k(h)), v(h))), h = norm(input).
            linear.backward(dattended, gl?.o, nil, dpairs[.o], dout: dx, input: s.attended, weight: w.o, adapter: pairs[.o],
                            saved: s.lora[.o])
            for r in a.context.sequenceRows {
                backend.attentionBackward(dqRoped.rows(r), dkRoped.rows(r), dv.rows(r), dout: dattended.rows(r), q: s.q.rows(r),
                                          k: s.k.rows(r), v: s.v.rows(r), heads: config.numAttentionHeads,
                                          kvHeads: config.numKeyValueHeads, headDim: config.headDim)
            }
            backend.ropeBackward(dq, dout: dqRoped, positions: a.context.positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
            backend.ropeBackward(dk, dout: dkRoped, positions: a.context.positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
            backend.fill(dnormed, 0)
            linear.backward(dnormed, gl?.q, gl?.qBias, dpairs[.q], dout: dq, input: s.normed1, weight: w.q, adapter: pairs[.q],
                            saved: s.lora[.q])
            linear.backward(dnormed, gl?.k, gl?.kBias, dpairs[.k], dout: dk, input: s.normed1, weight: w.k, adapter: pairs[.k],
                            saved: s.lora[.k])
            linear.backward(dnormed, gl?.v, gl?.vBias, dpairs[.v], dout: dv, input: s.normed1, weight: w.v, adapter: pairs[.v],
                            saved: s.lora[.v])
            backend.rmsNormBackward(dx, gl?.inputNorm, dout: dnormed, input: s.input, weight: w.inputNorm, eps: config.rmsNormEps)
        }
        if let g { backend.embeddingBackward(g.embedding, dout: dx, ids: a.ids) }
    }

    /// Layer `l`'s saved tensors, recomputed from its checkpoint exactly as the forward made them.
    private func recompute(_ l: Int, _ a: Activations, weights: ModelWeights, adapters: LoRAAdapters?) -> Activations.Layer {
        var rng = a.checkpoints[l].dropout
        return forwardLayer(l, input: a.checkpoints[l].input, context: a.context, weights: weights, adapters: adapters, rng: &rng).saved
    }
}
