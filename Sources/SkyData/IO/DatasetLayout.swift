/// How records are laid out in a file.
public enum DatasetLayout: String, Sendable, Hashable, Codable {
    /// One compact JSON object per line.
    case jsonl
    /// A JSON list, one record per line between `[` and `]`.
    case jsonList

    /// The layout a file name suggests: `.json` is a list, anything else JSONL.
    public init(path: String) {
        self = path.lowercased().hasSuffix(".json") ? .jsonList : .jsonl
    }
}
