/// Where a run is: enough to resume it exactly (the trainer checkpoint holds parameters and optimizer moments;
/// the data order follows from the seed, the epoch and the step within it).
public struct TrainingState: Sendable, Equatable, Codable {
    /// Optimizer steps taken.
    public var step = 0
    /// The current epoch (0-based) and the steps of it already taken.
    public var epoch = 0, stepInEpoch = 0
    /// Input tokens and label tokens trained on so far.
    public var tokensSeen = 0, labelTokensSeen = 0
    /// Training time of every attempt so far, in seconds.
    public var elapsedSeconds = 0.0
    /// Loss of the last step and the last held-out loss.
    public var lastLoss: Double?, lastEvalLoss: Double?
    /// Identifies the run's data and settings, so a checkpoint cannot resume another run.
    public var runSignature = ""

    /// The state before the first step.
    public init() {}
}
