/// How a conversation becomes text: ChatML, as Qwen models (and Sky-T1) use it.
///
/// `<|im_start|>{role}\n{content}<|im_end|>\n` per message; the generation prompt is `<|im_start|>assistant\n`.
public struct ChatTemplate: Sendable, Equatable {
    /// Inserted as the first message when a conversation has no system message (Qwen2.5 has one built in).
    public var defaultSystemPrompt: String?

    /// ChatML with an optional default system prompt.
    public init(defaultSystemPrompt: String? = nil) {
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// ChatML with no default system prompt.
    public static let chatML = ChatTemplate()
    /// Qwen2.5-Instruct's template: ChatML with its default system prompt.
    public static let qwen25 = ChatTemplate(defaultSystemPrompt: "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")
    /// ChatML with the Sky-T1 reasoning system prompt as default.
    public static let skyT1 = ChatTemplate(defaultSystemPrompt: SkyT1.systemPrompt)

    /// The rendered text and, as UTF-8 byte ranges, the parts that belong to assistant replies.
    public func render(_ messages: [ChatMessage], addGenerationPrompt: Bool = false) -> (text: String, assistantRanges: [Range<Int>]) {
        var text = ""
        var ranges: [Range<Int>] = []
        var all = messages
        if let defaultSystemPrompt, messages.first?.role != "system" { all.insert(.system(defaultSystemPrompt), at: 0) }
        for message in all {
            text += "<|im_start|>\(message.role)\n"
            if message.role == "assistant" {
                // Train on the reply and its closing <|im_end|>, not on the header or the newline after it.
                let start = text.utf8.count
                text += message.content + "<|im_end|>"
                ranges.append(start..<text.utf8.count)
                text += "\n"
            } else {
                text += message.content + "<|im_end|>\n"
            }
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return (text, ranges)
    }
}
