/// Why a benchmark file could not be loaded: which line (1-based), which field, and what was wrong.
public struct BenchmarkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, when loading from one.
    public var path: String?
    /// The 1-based line; 0 when the problem is the file as a whole.
    public var line: Int
    /// The field at fault, when one is.
    public var field: String?
    /// What was wrong.
    public var message: String

    /// An error at `line` (and `field`).
    public init(path: String? = nil, line: Int, field: String? = nil, message: String) {
        self.path = path
        self.line = line
        self.field = field
        self.message = message
    }

    /// "file:line: field 'x': message".
    public var description: String {
        var text = path.map { "\($0):" } ?? ""
        text += line > 0 ? "line \(line): " : " "
        if let field { text += "field '\(field)': " }
        return text + message
    }
}
