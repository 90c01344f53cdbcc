/// What the harness reports after calling a function: whether its result matched, and the result as JSON.
public struct FunctionCallOutcome: Sendable, Equatable, Codable {
    /// The result equalled the expected value (floats within tolerance, tuples as lists, integers exactly).
    public var passed: Bool
    /// The result as JSON, at most 200 characters; an error text when it was not JSON-encodable.
    public var got: String
}
