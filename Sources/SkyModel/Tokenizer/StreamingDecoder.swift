/// Turns a stream of token ids into text as it is generated, holding back bytes of an unfinished character.
public struct StreamingDecoder: Sendable {
    private let tokenizer: Tokenizer
    private let skipSpecialTokens: Bool
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`'s ids.
    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one token and returns the text that is now complete (possibly empty).
    public mutating func push(_ id: Int32) -> String {
        tokenizer.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, into: &pending)
        let complete = pending.count - Self.incompleteTail(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Whatever is left at the end of the stream (a broken character becomes U+FFFD).
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Number of trailing bytes that start a UTF-8 sequence whose remaining bytes have not arrived.
    static func incompleteTail(_ bytes: [UInt8]) -> Int {
        var back = 1
        while back <= min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 {  // continuation byte: keep looking for the lead
                back += 1
                continue
            }
            let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return needed > back ? back : 0
        }
        return 0
    }
}
