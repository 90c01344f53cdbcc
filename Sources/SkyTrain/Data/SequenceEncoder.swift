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
        /// The prompt (every token before the first reply token) fills `maxLength`, so `right` truncation keeps
        /// no reply token.
        case promptTooLong = "prompt_too_long"
        /// The turns after the last reply fill `maxLength`, so `left` truncation keeps no reply token.
        case tailTooLong = "tail_too_long"
        /// No token carries loss even uncut (no reply, or a single token).
        case noLabels = "no_labels"
    }

    /// Why a conversation produced no sequence, with the length that decided it, so a caller can say what to change.
    public struct Skipped: Error, Sendable, Equatable {
        /// The reason.
        public var reason: Skip
        /// Tokens of the part that did not fit: the conversation (`tooLong`, `noLabels`), the prompt
        /// (`promptTooLong`) or the turns after the last reply (`tailTooLong`).
        public var tokens: Int
        /// The encoder's `maxLength`.
        public var maxLength: Int

        /// A skip for `reason`.
        public init(reason: Skip, tokens: Int, maxLength: Int) {
            self.reason = reason
            self.tokens = tokens
            self.maxLength = maxLength
        }
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
        encodeOrExplain(messages).mapError(\.reason)
    }

    /// The sequence for `messages` and whether it was truncated, or why there is none and the length behind it.
    public func encodeOrExplain(_ messages: [ChatMessage]) -> Result<(sequence: TrainingSequence, truncated: Bool), Skipped> {
        let encoding = tokenizer.encodeChat(messages, template: template)
        let fullMask = assistantOnly ? encoding.assistantMask : encoding.ids.map { _ in true }
        var ids = encoding.ids[...], mask = fullMask[...]
        let truncated = ids.count > maxLength
        if truncated {
            switch truncation {
            case .right: (ids, mask) = (ids.prefix(maxLength), mask.prefix(maxLength))
            case .left: (ids, mask) = (ids.suffix(maxLength), mask.suffix(maxLength))
            case .drop: return .failure(Skipped(reason: .tooLong, tokens: ids.count, maxLength: maxLength))
            }
        }
        let sequence = TrainingSequence(ids: Array(ids), lossMask: Array(mask))
        guard sequence.labelTokenCount > 0 else { return .failure(whyNoLabels(fullMask, truncated: truncated)) }
        return .success((sequence, truncated))
    }

    /// Why a sequence kept no label: truncation cut the replies off (then the part that filled `maxLength`), or
    /// there were none to begin with. The first token never counts, as nothing predicts it.
    private func whyNoLabels(_ fullMask: [Bool], truncated: Bool) -> Skipped {
        let labelled = fullMask.indices.dropFirst().filter { fullMask[$0] }
        guard truncated, let first = labelled.first, let last = labelled.last else {
            return Skipped(reason: .noLabels, tokens: fullMask.count, maxLength: maxLength)
        }
        return truncation == .left
            ? Skipped(reason: .tailTooLong, tokens: fullMask.count - 1 - last, maxLength: maxLength)
            : Skipped(reason: .promptTooLong, tokens: first, maxLength: maxLength)
    }
}
