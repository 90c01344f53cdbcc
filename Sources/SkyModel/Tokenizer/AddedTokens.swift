/// Added and special tokens, matched in raw text before normalisation and pre-tokenization.
struct AddedTokens: Sendable {
    struct Token: Sendable {
        let id: Int32
        let content: [UInt8]
        let special: Bool
        let lstrip: Bool
        let rstrip: Bool
    }

    /// A stretch of the input: plain text to tokenize, or one added token.
    enum Segment {
        case text(Range<Int>)
        case token(Int32, Range<Int>)
    }

    let tokens: [Token]
    /// Token indices by first byte, longest content first (leftmost-longest matching).
    private let byFirstByte: [UInt8: [Int]]

    init(_ tokens: [Token]) {
        self.tokens = tokens
        var index: [UInt8: [Int]] = [:]
        for (i, token) in tokens.enumerated() {
            guard let first = token.content.first else { continue }
            index[first, default: []].append(i)
        }
        byFirstByte = index.mapValues { $0.sorted { tokens[$0].content.count > tokens[$1].content.count } }
    }

    /// Splits UTF-8 `bytes` into text and added-token segments (byte ranges).
    func split(_ bytes: [UInt8]) -> [Segment] {
        if tokens.isEmpty { return [.text(0..<bytes.count)] }
        var segments: [Segment] = []
        var textStart = 0, i = 0
        while i < bytes.count {
            guard let candidates = byFirstByte[bytes[i]],
                  let match = candidates.first(where: { matches(tokens[$0].content, in: bytes, at: i) })
            else {
                i += 1
                continue
            }
            let token = tokens[match]
            var start = i, end = i + token.content.count
            if token.lstrip { while start > textStart, Self.isSpace(bytes[start - 1]) { start -= 1 } }
            if token.rstrip { while end < bytes.count, Self.isSpace(bytes[end]) { end += 1 } }
            if textStart < start { segments.append(.text(textStart..<start)) }
            segments.append(.token(token.id, start..<end))
            textStart = end
            i = end
        }
        if textStart < bytes.count { segments.append(.text(textStart..<bytes.count)) }
        return segments
    }

    private func matches(_ content: [UInt8], in bytes: [UInt8], at i: Int) -> Bool {
        guard i + content.count <= bytes.count else { return false }
        for j in 0..<content.count where bytes[i + j] != content[j] { return false }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
}
