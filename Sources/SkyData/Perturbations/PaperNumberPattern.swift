/// The paper's definition of a number for corrupted digits: the Python regex `\b\d+(\.\d+)?\b`, matched with
/// `re.finditer` over the whole assistant turn, with Python 3's Unicode semantics for `str` patterns.
///
/// It differs from `NumberScanner` (the "standalone number" of wrong answers) in what the regex engine does
/// with glued text: in `12.6L` it matches `12` (the decimal part cannot end on a word boundary, so the group
/// is dropped and `\b` holds before the `.`), in `v1.2.3` it matches `2.3`, and a digit after a `.` starts a
/// match. `\d` is any Unicode decimal digit (category Nd) and `\w` any letter, number or `_`, as in Python, so
/// `é2` holds no number while `×2` does.
public enum PaperNumberPattern {
    /// UTF-8 byte ranges of every match in `text`, left to right and non-overlapping, as `re.finditer` gives them.
    public static func matches(in text: String) -> [Range<Int>] {
        // Scalars with their UTF-8 offsets: the regex works on code points, the perturbation edits bytes.
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []
        var offset = 0
        for scalar in text.unicodeScalars {
            scalars.append(scalar)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        let count = scalars.count
        func isDigit(_ i: Int) -> Bool { i < count && Self.isDigit(scalars[i]) }
        func boundaryAfterDigit(_ i: Int) -> Bool { i >= count || !isWord(scalars[i]) }

        var ranges: [Range<Int>] = []
        var index = 0
        while index < count {
            // A match starts only at a digit with a word boundary before it: the text's start or a non-word scalar.
            guard isDigit(index), index == 0 || !isWord(scalars[index - 1]) else {
                index += 1
                continue
            }
            var end = index
            while isDigit(end) { end += 1 }
            // Backtracking settles on one of two ends: the decimal part when `\b` holds after it, else the
            // integer part when `\b` holds after that. Shorter digit runs never end on a boundary.
            if end + 1 < count, scalars[end] == ".", isDigit(end + 1) {
                var decimalEnd = end + 1
                while isDigit(decimalEnd) { decimalEnd += 1 }
                if boundaryAfterDigit(decimalEnd) {
                    ranges.append(offsets[index]..<offsets[decimalEnd])
                    index = decimalEnd
                    continue
                }
            }
            if boundaryAfterDigit(end) { ranges.append(offsets[index]..<offsets[end]) }
            // No match can start inside the digit run (no boundary there); the scan resumes after it.
            index = end
        }
        return ranges
    }

    /// Python's `\d` for `str` patterns: a Unicode decimal digit.
    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar.value >= 0x30 && scalar.value <= 0x39 }
        return scalar.properties.generalCategory == .decimalNumber
    }

    /// Python's `\w` for `str` patterns: `str.isalnum()` (a letter or anything with a numeric value) or `_`.
    static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let v = scalar.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return scalar.properties.numericType != nil
        }
    }
}
