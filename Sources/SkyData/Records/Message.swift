/// One turn of a conversation.
public struct Message: Sendable, Hashable {
    /// Who speaks.
    public var role: Role
    /// What is said.
    public var content: String

    /// Creates a turn.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}
