/// Cuts text into sentences: a sentence ends after `.`, `?` or `!` followed by whitespace, or at a newline.
///
/// Each piece keeps the whitespace that follows it, so concatenating the pieces gives the text back.
enum SentenceSplitter {
    static func pieces(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let next = utf8.index(after: index)
            let endsSentence = byte == 0x0A
                || ((byte == 0x2E || byte == 0x3F || byte == 0x21) && next < utf8.endIndex && isBlank(utf8[next]))
            if endsSentence {
                var end = next
                while end < utf8.endIndex, isBlank(utf8[end]) { end = utf8.index(after: end) }
                result.append(text[start..<end])
                start = end
                index = end
            } else {
                index = next
            }
        }
        if start < utf8.endIndex { result.append(text[start..<utf8.endIndex]) }
        return result
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
