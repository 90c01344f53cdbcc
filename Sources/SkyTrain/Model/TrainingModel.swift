public import SkyModel
public import SkyTensor

/// The Qwen2/Llama forward of `CausalLM`, step for step, keeping every activation, and its exact reverse.
///
/// Sequences are stacked into (N, C) rows as in `CausalLM.forward`; each starts at position 0 and attends
/// only to itself. Weights are passed in rather than owned, so the same model trains full weights (views
/// into a parameter buffer) or LoRA adapters over frozen weights.
public struct TrainingModel: Sendable {
    /// The architecture.
    public let config: ModelConfig
    /// Where the ops run.
    public let backend: any Backend
    /// RoPE tables.
    public let rotary: RotaryTable

    /// A model for sequences of up to `maxPositions` tokens.
    public init(config: ModelConfig, backend: any Backend, maxPositions: Int) {
        self.config = config
        self.backend = backend
        rotary = RotaryTable(config: config, positions: maxPositions, backend: backend)
    }

    /// Runs `batch` through the model with `weights` (and `adapters` when training LoRA), keeping activations.
    /// LoRA dropout applies only when `dropoutSeed` is given (training); nil evaluates.
    public func forward(_ batch: [TrainingSequence], weights: ModelWeights, adapters: LoRAAdapters? = nil,
                        dropoutSeed: UInt64? = nil) throws -> Activations {
        var ids: [Int32] = [], positions: [Int32] = [], targets: [Int32] = [], rows: [Range<Int>] = []
        for (s, sequence) in batch.enumerated() {
            try validate(sequence, index: s)
            rows.append(ids.count..<(ids.count + sequence.inputIds.count))
            ids += sequence.inputIds
            positions += (0..<sequence.inputIds.count).map { Int32($0) }
            targets += sequence.shiftedTargets
        }
        let n = ids.count, c = config.hiddenSize, f = config.intermediateSize
        let qw = config.numAttentionHeads * config.headDim, kw = config.numKeyValueHeads * config.headDim
        let linear = AdaptedLinear(backend: backend, scaling: adapters?.lora.scaling ?? 0)
        var x = backend.zeros([n, c])  // (N, C)
        backend.embedding(x, ids: ids, table: weights.embedding)
        var saved: [Activations.Layer] = []
        var rng = dropoutSeed.map { SeededGenerator(seed: $0) }
        for (l, w) in weights.layers.enumerated() {
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
            for r in rows {
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
            saved.append(Activations.Layer(input: x, normed1: normed1, q: q, k: k, v: v, attended: attended, middle: middle,
                                           normed2: normed2, gate: gate, up: up, hidden: hidden, lora: lora))
            x = output
        }
        let finalNormed = backend.zeros([n, c]), logits = backend.zeros([n, config.vocabSize]), losses = backend.zeros([n])
        backend.rmsNorm(finalNormed, x, weight: weights.finalNorm, eps: config.rmsNormEps)
        backend.linear(logits, finalNormed, weights.lmHead, bias: nil)
        backend.crossEntropy(losses, logits: logits, targets: targets)
        return Activations(ids: ids, positions: positions, sequenceRows: rows, targets: targets, layers: saved, final: x,
                           finalNormed: finalNormed, logits: logits, losses: losses)
    }

    /// Data comes from users' datasets: a bad sequence is an error for the job, never a crash of the worker.
    private func validate(_ sequence: TrainingSequence, index: Int) throws {
        guard !sequence.inputIds.isEmpty else { throw ForwardError.emptyInput(sequence: index) }
        guard sequence.inputIds.count <= rotary.positions else {
            throw ForwardError.contextFull(needed: sequence.inputIds.count, capacity: rotary.positions)
        }
        for token in sequence.inputIds + sequence.labels where token != LossMask.ignore && (token < 0 || Int(token) >= config.vocabSize) {
            throw ForwardError.tokenOutOfRange(id: token, vocabularySize: config.vocabSize)
        }
    }

    /// Σ of the per-row losses (host copy), for reporting and for normalising by label tokens.
    public func lossSum(_ activations: Activations) -> Double {
        backend.toArray(activations.losses).reduce(0) { $0 + Double($1) }
    }
}
