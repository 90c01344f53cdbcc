/// Who speaks a turn. ShareGPT's `human`/`gpt` map to `user`/`assistant`.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    case system, user, assistant

    /// The role named by a ShareGPT `from` or a chat `role` value, or nil when unknown.
    public init?(name: String) {
        switch name {
        case "system": self = .system
        case "user", "human": self = .user
        case "assistant", "gpt", "model": self = .assistant
        default: return nil
        }
    }
}
