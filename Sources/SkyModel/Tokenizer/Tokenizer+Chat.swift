/// Token ids of a conversation and which of them the trainer learns from.
public struct ChatEncoding: Sendable, Equatable {
    /// Token ids of the rendered conversation.
    public var ids: [Int32]
    /// True for tokens of assistant replies (content and closing `<|im_end|>`), false for everything else.
    public var assistantMask: [Bool]
}

extension Tokenizer {
    /// Renders `messages` with `template` and tokenizes them, marking the assistant tokens.
    ///
    /// A token belongs to a reply when any of its bytes does, as transformers' `return_assistant_tokens_mask`
    /// decides: a reply starting with a newline shares its first token with the header's newline, and that
    /// token is kept.
    public func encodeChat(_ messages: [ChatMessage], template: ChatTemplate = .chatML, addGenerationPrompt: Bool = false) -> ChatEncoding {
        // Normalise contents first so the offsets of the encoded text are offsets of the rendered text.
        let normalised = messages.map { ChatMessage(role: $0.role, content: normalizer?.apply($0.content) ?? $0.content) }
        let (text, ranges) = template.render(normalised, addGenerationPrompt: addGenerationPrompt)
        let tokens = encodeWithOffsets(text)
        var mask: [Bool] = []
        mask.reserveCapacity(tokens.count)
        let textLength = text.utf8.count
        var r = 0
        for (i, token) in tokens.enumerated() {
            // A token spans from its start to the next token's start (tokens cover the text without gaps).
            let end = i + 1 < tokens.count ? tokens[i + 1].start : textLength
            while r < ranges.count, ranges[r].upperBound <= token.start { r += 1 }
            mask.append(r < ranges.count && ranges[r].lowerBound < max(end, token.start + 1))
        }
        return ChatEncoding(ids: tokens.map(\.id), assistantMask: mask)
    }
}
