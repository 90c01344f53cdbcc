/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable, Codable {
    /// "system", "user" or "assistant".
    public var role: String
    /// The turn's text.
    public var content: String

    /// A message with `role` and `content`.
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: "system", content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: "user", content: content) }
    /// An assistant message.
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: "assistant", content: content) }
}
