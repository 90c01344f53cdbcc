public import SkyTensor

/// What a finished run amounts to.
public struct TrainingSummary: Sendable, Equatable {
    /// Optimizer steps taken.
    public var steps: Int
    /// Loss of the last step, and the last held-out loss when there is a held-out set.
    public var finalLoss: Double?, finalEvalLoss: Double?
    /// Input tokens and label tokens trained on.
    public var tokensSeen: Int, labelTokensSeen: Int
    /// Training time of every attempt, in seconds.
    public var wallSeconds: Double
    /// Peak resident memory in bytes since the run was created (Linux resets the process's high-water mark then;
    /// elsewhere it is the process's), where the platform reports it.
    public var peakMemoryBytes: Int?
    /// Sequences trained on and held out.
    public var trainSequences: Int, heldOutSequences: Int
    /// Trainable parameters (the adapters for LoRA).
    public var trainableParameters: Int
    /// The hardware and kernels the steps ran on: losses reproduce to the digit only on the same kernels.
    public var device: BackendDevice
}
