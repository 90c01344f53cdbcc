public import SkyTensor

/// Optimisation settings of a run, named as Hugging Face's `TrainingArguments`.
public struct TrainerOptions: Sendable, Equatable {
    /// Peak learning rate, AdamW betas, epsilon and weight decay.
    public var adamW: AdamWHyper
    /// `max_grad_norm`; nil turns clipping off.
    public var maxGradNorm: Float?
    /// The learning-rate schedule.
    public var schedule: LRSchedule
    /// Seeds the LoRA A initialisation.
    public var seed: UInt64
    /// Keep only each layer's input and recompute the layer in the backward (less memory, ~⅓ more compute).
    public var gradientCheckpointing: Bool

    /// Options with Hugging Face's defaults for clipping (1.0).
    public init(adamW: AdamWHyper, maxGradNorm: Float? = 1, schedule: LRSchedule, seed: UInt64 = 0, gradientCheckpointing: Bool = false) {
        self.adamW = adamW
        self.maxGradNorm = maxGradNorm
        self.schedule = schedule
        self.seed = seed
        self.gradientCheckpointing = gradientCheckpointing
    }
}
