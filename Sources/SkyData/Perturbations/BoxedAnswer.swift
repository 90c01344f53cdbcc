/// Finds `\boxed{…}` answers with brace matching, the way graders read them.
public enum BoxedAnswer {
    private static let opener = Array("\\boxed{".utf8)

    /// Byte ranges of the contents of every `\boxed{…}` in `bytes`, in order; unclosed ones are skipped.
    static func contents(in bytes: [UInt8]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = 0
        while let start = find(opener, in: bytes, from: index) {
            let contentStart = start + opener.count
            var depth = 1
            var cursor = contentStart
            while cursor < bytes.count {
                if bytes[cursor] == UInt8(ascii: "{") { depth += 1 }
                if bytes[cursor] == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { break }
                }
                cursor += 1
            }
            guard depth == 0 else { break }
            result.append(contentStart..<cursor)
            index = cursor + 1
        }
        return result
    }

    /// The content of the last `\boxed{…}` in `text`, if any.
    public static func last(in text: String) -> String? {
        let bytes = Array(text.utf8)
        return contents(in: bytes).last.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        let first = needle[0]
        while index <= bytes.count - needle.count {
            if bytes[index] == first, bytes[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Bytes that join a symbol to a larger formula: `\`, `{`, `}`, `^`, `_`.
    private static let joiners: Set<UInt8> = [0x5C, 0x7B, 0x7D, 0x5E, 0x5F]

    /// The last occurrence of `needle` in `bytes` that is not glued to a word (see `NumberScanner`). `strict` also
    /// refuses one glued to a word, a command, a brace or a sub/superscript on either side, whatever the needle
    /// starts or ends with: `\pi` in `2\pi`, `\frac{\pi}{2}` or `\pi^2` is not the answer `\pi`.
    static func lastStandalone(_ needle: [UInt8], in bytes: [UInt8], strict: Bool = false) -> Range<Int>? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = bytes.count - needle.count
        while index >= 0 {
            if bytes[index] == needle[0], bytes[index..<index + needle.count].elementsEqual(needle) {
                let end = index + needle.count
                let before = index > 0 ? bytes[index - 1] : 0x20
                let after = end < bytes.count ? bytes[end] : 0x20
                let gluedBefore = NumberScanner.isWord(needle[0]) && (NumberScanner.isWord(before) || before == 0x2E)
                let gluedAfter = NumberScanner.isWord(needle[needle.count - 1])
                    && (NumberScanner.isWord(after) || (after == 0x2E && end + 1 < bytes.count && NumberScanner.isDigit(bytes[end + 1])))
                let strictlyGlued = strict && (NumberScanner.isWord(before) || Self.joiners.contains(before)
                    || NumberScanner.isWord(after) || Self.joiners.contains(after))
                if !gluedBefore && !gluedAfter && !strictlyGlued { return index..<end }
            }
            index -= 1
        }
        return nil
    }
}
