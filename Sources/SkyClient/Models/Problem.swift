/// An RFC 9457 problem, as every API error is sent.
public struct Problem: Codable, Sendable, Hashable {
    /// Stable URI naming the problem, e.g. https://sky.dev/problems/invalid-spec.
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    public var instance: String?
    /// For validation problems, each bad field.
    public var errors: [FieldError]?

    /// One bad field, located by a JSON pointer into the request body.
    public struct FieldError: Codable, Sendable, Hashable {
        public var pointer: String
        public var message: String

        /// Creates a field error.
        public init(pointer: String, message: String) {
            self.pointer = pointer
            self.message = message
        }
    }

    /// The last segment of `type` (`not-found`, `invalid-spec`), which clients branch on.
    public var name: String { String(type.split(separator: "/").last ?? Substring(type)) }

    /// Creates a problem.
    public init(type: String, title: String, status: Int, detail: String? = nil, instance: String? = nil, errors: [FieldError]? = nil) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.instance = instance
        self.errors = errors
    }
}
