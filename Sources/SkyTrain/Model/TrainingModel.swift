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
    /// LoRA dropout applies only when `dropoutSeed` is given (training); nil evaluates. With `checkpointing`,
    /// only each layer's input is kept and the backward recomputes the rest of the layer (less memory, one
    /// more forward of every layer).
    public func forward(_ batch: [TrainingSequence], weights: ModelWeights, adapters: LoRAAdapters? = nil,
                        dropoutSeed: UInt64? = nil, checkpointing: Bool = false) throws -> Activations {
        var ids: [Int32] = [], positions: [Int32] = [], targets: [Int32] = [], rows: [Range<Int>] = []
        for (s, sequence) in batch.enumerated() {
            try validate(sequence, index: s)
            rows.append(ids.count..<(ids.count + sequence.inputIds.count))
            ids += sequence.inputIds
            positions += (0..<sequence.inputIds.count).map { Int32($0) }
            targets += sequence.shiftedTargets
        }
        let n = ids.count, c = config.hiddenSize
        var x = backend.zeros([n, c])  // (N, C)
        backend.embedding(x, ids: ids, table: weights.embedding)
        let context = LayerContext(positions: positions, sequenceRows: rows)
        var saved: [Activations.Layer] = [], checkpoints: [Activations.Checkpoint] = []
        var rng = dropoutSeed.map { SeededGenerator(seed: $0) }
        for l in weights.layers.indices {
            if checkpointing { checkpoints.append(Activations.Checkpoint(input: x, dropout: rng)) }
            let layer = forwardLayer(l, input: x, context: context, weights: weights, adapters: adapters, rng: &rng)
            if !checkpointing { saved.append(layer.saved) }
            x = layer.output
        }
        let finalNormed = backend.zeros([n, c]), logits = backend.zeros([n, config.vocabSize]), losses = backend.zeros([n])
        backend.rmsNorm(finalNormed, x, weight: weights.finalNorm, eps: config.rmsNormEps)
        backend.linear(logits, finalNormed, weights.lmHead, bias: nil)
        backend.crossEntropy(losses, logits: logits, targets: targets)
        return Activations(ids: ids, context: context, targets: targets, layers: saved, checkpoints: checkpoints, final: x,
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
