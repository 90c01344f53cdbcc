/// Why a checkpoint cannot resume a trainer.
public struct CheckpointMismatch: Error, CustomStringConvertible {
    /// What differs.
    public let description: String
}
