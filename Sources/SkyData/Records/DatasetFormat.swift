/// The on-disk shapes of a record Sky reads and writes.
public enum DatasetFormat: String, Sendable, Hashable, Codable, CaseIterable {
    /// Sky-T1 / ShareGPT: `{"system": S, "conversations": [{"from", "value"}]}`.
    case sharegpt
    /// OpenAI / mlx-lm chat: `{"messages": [{"role", "content"}]}`.
    case messages
    /// `{"prompt": P, "completion": C}` (an optional `system` is kept).
    case promptCompletion

    /// The format a record's keys announce, or nil when none fits.
    public static func detect(keys: some Sequence<String>) -> DatasetFormat? {
        let keys = Set(keys)
        if keys.contains("conversations") { return .sharegpt }
        if keys.contains("messages") { return .messages }
        if keys.contains("prompt") || keys.contains("completion") { return .promptCompletion }
        return nil
    }

    /// The format named by a spec or CLI value; `auto` is nil.
    public init?(name: String) {
        switch name {
        case "sharegpt", "sky-t1", "skyt1": self = .sharegpt
        case "messages", "chat": self = .messages
        case "promptCompletion", "prompt-completion", "prompt_completion": self = .promptCompletion
        default: return nil
        }
    }
}
