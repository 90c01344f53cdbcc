/// One thing wrong with a submitted spec, located by a JSON pointer (RFC 6901) into the spec.
public struct SpecIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    /// JSON pointer of the offending field, e.g. `/durationSeconds`; empty for the whole document.
    public var pointer: String
    /// What is wrong, in words a user can act on.
    public var message: String

    /// Creates an issue at `pointer`.
    public init(_ pointer: String, _ message: String) {
        self.pointer = pointer
        self.message = message
    }

    public var description: String { pointer.isEmpty ? message : "\(pointer): \(message)" }
}

/// A spec that cannot be accepted, with every issue found (not just the first).
public struct SpecValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind whose spec was rejected.
    public var kind: String
    /// Each problem, with where it is.
    public var issues: [SpecIssue]

    /// Creates an error for `kind` listing `issues`.
    public init(kind: String, issues: [SpecIssue]) {
        self.kind = kind
        self.issues = issues
    }

    public var description: String {
        "invalid \(kind) spec: " + issues.map(\.description).joined(separator: "; ")
    }
}
