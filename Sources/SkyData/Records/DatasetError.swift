/// A malformed record or unreadable dataset, located so a user can open the file at the spot.
public struct DatasetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 0-based position of the record in the file, when the problem is in one record.
    public var index: Int?
    /// 1-based line where the record starts.
    public var line: Int?
    /// The field at fault, as a JSON pointer inside the record (e.g. `/conversations/1/value`).
    public var field: String?
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(index: Int? = nil, line: Int? = nil, field: String? = nil, message: String) {
        self.index = index
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let index { parts.append("record \(index)") }
        if let line { parts.append("line \(line)") }
        if let field, !field.isEmpty { parts.append("field \(field)") }
        return parts.isEmpty ? message : parts.joined(separator: ", ") + ": " + message
    }
}
