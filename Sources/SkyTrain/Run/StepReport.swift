public import Foundation

/// What the run reports after each optimizer step.
public struct StepReport: Sendable, Equatable {
    /// Steps taken, this one included, and steps in the whole run.
    public var step: Int, totalSteps: Int
    /// The epoch (0-based) this step belongs to.
    public var epoch: Int
    /// Mean loss over the step's label tokens.
    public var loss: Double
    /// Learning rate of the update.
    public var learningRate: Float
    /// Global gradient norm before clipping.
    public var gradNorm: Float
    /// Input tokens and label tokens of the step.
    public var tokens: Int, labelTokens: Int
    /// Input tokens per second of the step's wall time.
    public var tokensPerSecond: Double
    /// Training time of the whole run so far (all attempts), in seconds.
    public var elapsedSeconds: Double
    /// Held-out loss, when this step evaluated.
    public var evalLoss: Double?
}

/// Callbacks of a run; each runs on the training thread between steps.
public struct TrainingObserver {
    /// After every step; throwing stops the run (a checkpoint is written first when the run has a checkpoint
    /// directory) and the error comes out of `run`.
    public var step: (StepReport) throws -> Void
    /// After a checkpoint directory is complete, with the step it holds.
    public var checkpointed: (URL, Int) throws -> Void

    /// An observer; both callbacks default to doing nothing.
    public init(step: @escaping (StepReport) throws -> Void = { _ in }, checkpointed: @escaping (URL, Int) throws -> Void = { _, _ in }) {
        self.step = step
        self.checkpointed = checkpointed
    }
}
