/// Why a forward pass or generation request could not run.
public enum ForwardError: Error, Equatable, CustomStringConvertible {
    /// A token id is outside the model's vocabulary.
    case tokenOutOfRange(id: Int32, vocabularySize: Int)
    /// The sequence would grow past its KV cache or the rotary table.
    case contextFull(needed: Int, capacity: Int)
    /// A sequence was given no tokens to process.
    case emptyInput(sequence: Int)
    /// Two sequences of one batch share a KV cache (each would overwrite the other's keys).
    case sharedCache(sequence: Int)

    public var description: String {
        switch self {
        case let .tokenOutOfRange(id, size): "token id \(id) is outside the vocabulary of \(size)"
        case let .contextFull(needed, capacity): "sequence needs \(needed) positions but the context holds \(capacity)"
        case let .emptyInput(sequence): "sequence \(sequence) has no tokens to process"
        case let .sharedCache(sequence): "sequence \(sequence) uses a KV cache already used earlier in the batch"
        }
    }
}
