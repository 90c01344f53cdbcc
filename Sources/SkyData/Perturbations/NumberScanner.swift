/// Finds standalone numbers in text: digits with an optional decimal part, not glued to a word.
///
/// A number is a run `\d+(\.\d+)?` whose neighbours are not ASCII letters, digits, `_` or a decimal
/// point; "x2", "2x" and "v1.2.3" contain no standalone number, while "x^2", "{12}" and "-3.5" do
/// (the sign stays outside). Non-ASCII neighbours such as "×" count as separators.
enum NumberScanner {
    /// Byte ranges (in `bytes`) of every standalone number, in order.
    static func numbers(in bytes: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var index = 0
        let count = bytes.count
        while index < count {
            guard isDigit(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < count, isDigit(bytes[index]) { index += 1 }
            if index + 1 < count, bytes[index] == 0x2E, isDigit(bytes[index + 1]) {
                index += 1
                while index < count, isDigit(bytes[index]) { index += 1 }
            }
            let before = start > 0 ? bytes[start - 1] : 0x20
            let after = index < count ? bytes[index] : 0x20
            let gluedAfter = isWord(after) || (after == 0x2E && index + 1 < count && isDigit(bytes[index + 1]))
            if !isWord(before) && before != 0x2E && !gluedAfter {
                ranges.append(start..<index)
            }
        }
        return ranges
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isWord(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}
