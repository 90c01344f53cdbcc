/// A loaded benchmark: its problems in file order and the SHA-256 of the file's bytes, so every result names
/// exactly which questions it was measured on.
public struct Benchmark: Sendable, Equatable, Codable {
    /// A short name, by default the file name without its extension.
    public var name: String
    /// Math or code; a file holds one kind only.
    public var kind: BenchmarkKind
    /// The problems in file order, ids unique.
    public var problems: [BenchmarkProblem]
    /// Lowercase hex SHA-256 of the file's bytes as read.
    public var sha256: String

    /// A benchmark from its parts.
    public init(name: String, kind: BenchmarkKind, problems: [BenchmarkProblem], sha256: String) {
        self.name = name
        self.kind = kind
        self.problems = problems
        self.sha256 = sha256
    }
}
