/// What was wrong with a tokenizer.json or an encode/decode request.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or is not a JSON object.
    case unreadable(path: String, reason: String)
    /// A required part of tokenizer.json is missing or malformed; `at` is its JSON path.
    case invalidSpec(at: String, problem: String)
    /// A component type Sky does not implement (e.g. a WordPiece model or a Metaspace pre-tokenizer).
    case unsupported(at: String, type: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read tokenizer: \(reason)"
        case let .invalidSpec(at, problem): "tokenizer.json \(at): \(problem)"
        case let .unsupported(at, type): "tokenizer.json \(at): type '\(type)' is not supported"
        }
    }
}
