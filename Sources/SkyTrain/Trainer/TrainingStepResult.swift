/// What one optimizer step reports (the numbers Hugging Face's Trainer logs).
public struct TrainingStepResult: Sendable, Equatable {
    /// Mean loss over the label tokens of every micro-batch of the step.
    public var loss: Double
    /// Global gradient norm before clipping.
    public var gradNorm: Float
    /// Learning rate used for the update.
    public var learningRate: Float
    /// Label tokens the step trained on.
    public var labelTokens: Int
}
