public import SkyTensor

/// Everything a run needs besides the model and the data: what it trains, how it optimises, how it batches,
/// and how often it checkpoints and evaluates.
public struct TrainingRunOptions: Sendable, Equatable {
    /// Full fine-tuning or LoRA.
    public var mode: TrainingMode
    /// Peak learning rate, betas, epsilon, weight decay.
    public var adamW: AdamWHyper
    /// Global gradient-norm clip; nil turns it off.
    public var maxGradNorm: Float?
    /// The schedule's shape after warmup.
    public var scheduler: LRSchedule.Kind
    /// Warmup by steps or by ratio.
    public var warmup: LRSchedule.Warmup
    /// Seeds LoRA initialisation, dropout and every epoch's order.
    public var seed: UInt64
    /// Passes over the data; ignored when `maxSteps` is set.
    public var epochs: Int
    /// Optimizer steps to take, cycling through epochs as needed.
    public var maxSteps: Int?
    /// Sequences per micro-batch (with packing: the token budget in units of `maxLength`).
    public var microBatchSize: Int
    /// Micro-batches per optimizer step.
    public var accumulation: Int
    /// Fill micro-batches by tokens instead of by count (see `BatchPlan`).
    public var packing: Bool
    /// Longest sequence, in tokens.
    public var maxLength: Int
    /// Checkpoint every this many steps (0: only when stopped early).
    public var checkpointEvery: Int
    /// Held-out loss every this many steps (0: only after the last step).
    public var evalEvery: Int
    /// Recompute each layer's activations in the backward instead of keeping them (Hugging Face's
    /// `gradient_checkpointing`).
    public var gradientCheckpointing: Bool

    /// Options with Hugging Face's defaults where it has them.
    public init(mode: TrainingMode, adamW: AdamWHyper, maxGradNorm: Float? = 1, scheduler: LRSchedule.Kind = .linear,
                warmup: LRSchedule.Warmup = .steps(0), seed: UInt64 = 0, epochs: Int = 1, maxSteps: Int? = nil,
                microBatchSize: Int = 1, accumulation: Int = 1, packing: Bool = false, maxLength: Int,
                checkpointEvery: Int = 0, evalEvery: Int = 0, gradientCheckpointing: Bool = false) {
        self.mode = mode
        self.adamW = adamW
        self.maxGradNorm = maxGradNorm
        self.scheduler = scheduler
        self.warmup = warmup
        self.seed = seed
        self.epochs = epochs
        self.maxSteps = maxSteps
        self.microBatchSize = microBatchSize
        self.accumulation = accumulation
        self.packing = packing
        self.maxLength = maxLength
        self.checkpointEvery = checkpointEvery
        self.evalEvery = evalEvery
        self.gradientCheckpointing = gradientCheckpointing
    }
}
