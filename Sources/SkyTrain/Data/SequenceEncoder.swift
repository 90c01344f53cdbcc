public import SkyModel

/// Turns conversations into training sequences with the model's chat template: token ids, loss on the
/// assistant replies (or every token), cut to a maximum length.
public struct SequenceEncoder: Sendable {
    /// What happens to a conversation longer than `maxLength` tokens.
    public enum Truncation: String, Sendable, CaseIterable {
        /// Keep the first `maxLength` tokens (Hugging Face's default truncation side).
        case right
        /// Keep the last `maxLength` tokens, so the end of the reply survives.
        case left
        /// Skip the conversation.
        case drop
    }

    /// Why a conversation produced no sequence.
    public enum Skip: String, Error, Sendable, Hashable, CaseIterable {
        /// Longer than `maxLength` with the `drop` policy.
        case tooLong = "too_long"
        /// No token carries loss (no reply, or truncation cut every reply token).
        case noLabels = "no_labels"
    }

    /// The model's tokenizer.
    public let tokenizer: Tokenizer
    /// How conversations are rendered.
    public let template: ChatTemplate
    /// Most tokens per sequence.
    public let maxLength: Int
    /// The policy for longer conversations.
    public let truncation: Truncation
    /// Loss on assistant tokens only (true) or on every token.
    public let assistantOnly: Bool

    /// An encoder; `maxLength` must be at least 2 (one input and one target).
    public init(tokenizer: Tokenizer, template: ChatTemplate = .chatML, maxLength: Int, truncation: Truncation = .right,
                assistantOnly: Bool = true) {
        precondition(maxLength >= 2, "maxLength must leave room for an input and a target")
        self.tokenizer = tokenizer
        self.template = template
        self.maxLength = maxLength
        self.truncation = truncation
        self.assistantOnly = assistantOnly
    }

    /// The sequence for `messages` and whether it was truncated, or why there is none.
    public func encode(_ messages: [ChatMessage]) -> Result<(sequence: TrainingSequence, truncated: Bool), Skip> {
        let encoding = tokenizer.encodeChat(messages, template: template)
        var ids = encoding.ids[...], mask = (assistantOnly ? encoding.assistantMask : encoding.ids.map { _ in true })[...]
        let truncated = ids.count > maxLength
        if truncated {
            switch truncation {
            case .right: (ids, mask) = (ids.prefix(maxLength), mask.prefix(maxLength))
            case .left: (ids, mask) = (ids.suffix(maxLength), mask.suffix(maxLength))
            case .drop: return .failure(.tooLong)
            }
        }
        let sequence = TrainingSequence(ids: Array(ids), lossMask: Array(mask))
        guard sequence.labelTokenCount > 0 else { return .failure(.noLabels) }
        return .success((sequence, truncated))
    }
}
