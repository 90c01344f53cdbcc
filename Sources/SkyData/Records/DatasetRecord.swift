public import SkyCore

/// One training sample, independent of the file format it came in.
///
/// Fields a format does not know (e.g. a correctness flag) travel in `extra` and are written back.
public struct DatasetRecord: Sendable, Hashable {
    /// The system prompt, when the record has one.
    public var system: String?
    /// The turns, system prompt excluded.
    public var messages: [Message]
    /// Every other top-level field, kept as is.
    public var extra: [String: JSONValue]

    /// Creates a record.
    public init(system: String? = nil, messages: [Message], extra: [String: JSONValue] = [:]) {
        self.system = system
        self.messages = messages
        self.extra = extra
    }

    /// The first user turn: the question the sample answers.
    public var question: String? {
        messages.first { $0.role == .user }?.content
    }

    /// The last assistant turn's text; setting it replaces that turn.
    public var response: String? {
        get { messages.last { $0.role == .assistant }?.content }
        set {
            guard let newValue, let index = messages.lastIndex(where: { $0.role == .assistant }) else { return }
            messages[index].content = newValue
        }
    }
}
