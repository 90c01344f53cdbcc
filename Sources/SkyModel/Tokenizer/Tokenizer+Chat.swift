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
    /// A token belongs to a reply when it starts inside one; BPE never merges across `<|im_start|>` or
    /// `<|im_end|>`, so only a reply that itself begins with a newline could blur the edge by one token.
    public func encodeChat(_ messages: [ChatMessage], template: ChatTemplate = .chatML, addGenerationPrompt: Bool = false) -> ChatEncoding {
        // Normalise contents first so the offsets of the encoded text are offsets of the rendered text.
        let normalised = messages.map { ChatMessage(role: $0.role, content: normalizer?.apply($0.content) ?? $0.content) }
        let (text, ranges) = template.render(normalised, addGenerationPrompt: addGenerationPrompt)
        let tokens = encodeWithOffsets(text)
        var mask: [Bool] = []
        mask.reserveCapacity(tokens.count)
        var r = 0
        for token in tokens {
            while r < ranges.count, ranges[r].upperBound <= token.start { r += 1 }
            mask.append(r < ranges.count && ranges[r].contains(token.start))
        }
        return ChatEncoding(ids: tokens.map(\.id), assistantMask: mask)
    }
}
