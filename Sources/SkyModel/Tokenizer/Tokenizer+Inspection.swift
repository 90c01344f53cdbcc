extension Tokenizer {
    /// The special added tokens (ChatML markers, end of text, …) with their ids, in id order.
    public var specialTokens: [(id: Int32, text: String)] {
        added.tokens.filter(\.special).sorted { $0.id < $1.id }.map { ($0.id, String(decoding: $0.content, as: UTF8.self)) }
    }

    /// The stored text of token `id` (byte-level form for vocabulary entries), or nil for an unknown id.
    public func tokenText(_ id: Int32) -> String? {
        guard id >= 0, Int(id) < tokenForId.count else { return nil }
        return tokenForId[Int(id)]
    }
}
