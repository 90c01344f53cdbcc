public import SkyModel
public import SkyTensor

/// Optimizer steps over micro-batches: forward, backward with the loss normalised by all label tokens of
/// the step, global-norm clipping, the scheduled learning rate, AdamW.
///
/// Trainable parameters, their gradients and AdamW's moments are four buffers of one `ParameterLayout`:
/// the whole model for full fine-tuning, the adapters for LoRA.
public struct Trainer: Sendable {
    /// The forward and backward.
    public let model: TrainingModel
    /// Layout of the trainable parameters.
    public let layout: ParameterLayout
    /// Trainable parameters and their gradients (one buffer each).
    public let parameters: Tensor, gradients: Tensor
    /// The optimizer and its moments.
    public internal(set) var optimizer: AdamW
    /// Run settings.
    public let options: TrainerOptions
    /// The model's weights: views into `parameters` (full) or the frozen base (LoRA).
    public let weights: ModelWeights
    /// Adapters viewing `parameters` (LoRA only).
    public let adapters: LoRAAdapters?
    private let weightGradients: ModelWeights?
    private let adapterGradients: LoRAAdapters?

    /// A trainer starting from `weights`; full fine-tuning copies them into its parameter buffer, LoRA keeps
    /// them frozen and initialises adapters as PEFT does.
    public init(config: ModelConfig, weights base: ModelWeights, mode: TrainingMode, options: TrainerOptions,
                backend: any Backend, maxPositions: Int) {
        StepHeap.retainFreedMemory()
        model = TrainingModel(config: config, backend: backend, maxPositions: maxPositions)
        self.options = options
        switch mode {
        case .full:
            layout = .full(config: config)
            parameters = layout.makeBuffer(backend: backend)
            gradients = layout.makeBuffer(backend: backend)
            base.copy(into: parameters, layout: layout, config: config, backend: backend)
            weights = ModelWeights(viewing: parameters, layout: layout, config: config)
            weightGradients = ModelWeights(viewing: gradients, layout: layout, config: config)
            adapters = nil
            adapterGradients = nil
        case let .lora(lora):
            layout = .lora(config: config, lora: lora)
            parameters = layout.makeBuffer(backend: backend)
            gradients = layout.makeBuffer(backend: backend)
            weights = base
            weightGradients = nil
            let adapters = LoRAAdapters(viewing: parameters, layout: layout, config: config, lora: lora)
            adapters.initialize(seed: options.seed, backend: backend)
            self.adapters = adapters
            adapterGradients = LoRAAdapters(viewing: gradients, layout: layout, config: config, lora: lora)
        }
        optimizer = AdamW(layout: layout, hyper: options.adamW, backend: backend)
    }

    /// One optimizer step over `microBatches` (gradient accumulation: their gradients add up, each scaled by
    /// 1 / label tokens of all of them, so the step equals one batch holding every sequence).
    /// Throws `ForwardError` for a sequence that is empty, too long or holds ids outside the vocabulary,
    /// before any parameter changes.
    public mutating func step(_ microBatches: [[TrainingSequence]]) throws -> TrainingStepResult {
        let backend = model.backend
        backend.fill(gradients, 0)
        let labelTokens = microBatches.joined().reduce(0) { $0 + $1.labelTokenCount }
        let scale = 1 / Float(max(1, labelTokens))
        var lossSum: Double = 0
        for (i, batch) in microBatches.enumerated() where !batch.isEmpty {
            // A fresh dropout stream for every micro-batch of every step, fixed by the run's seed.
            let dropoutSeed = options.seed &+ UInt64(optimizer.step) &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(i) &* 0xBF58_476D_1CE4_E5B9
            let activations = try model.forward(batch, weights: weights, adapters: adapters, dropoutSeed: dropoutSeed,
                                                 checkpointing: options.gradientCheckpointing)
            lossSum += model.lossSum(activations)
            model.backward(activations, lossScale: scale, weights: weights, gradients: weightGradients, adapters: adapters,
                           adapterGradients: adapterGradients)
        }
        let norm: Float
        if let maxNorm = options.maxGradNorm {
            norm = GradientClipping.clip(gradients, maxNorm: maxNorm, backend: backend)
        } else {
            norm = Float(backend.sumOfSquares(gradients).squareRoot())
        }
        let lr = options.adamW.lr * Float(options.schedule.multiplier(step: optimizer.step))
        optimizer.update(params: parameters, grads: gradients, lr: lr)
        // A device's queued work fails late (out of memory included): the step is where the attempt can stop cleanly.
        try backend.checkForFailure()
        return TrainingStepResult(loss: lossSum / Double(max(1, labelTokens)), gradNorm: norm, learningRate: lr, labelTokens: labelTokens)
    }
}
