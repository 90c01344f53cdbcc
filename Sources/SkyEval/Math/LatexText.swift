/// A string as an array of Unicode scalars, so brace matching and backwards searches are index arithmetic
/// instead of repeated `String.Index` walks (the output of a model can be a megabyte).
struct LatexText {
    let scalars: [Unicode.Scalar]

    init(_ text: some StringProtocol) { scalars = Array(text.unicodeScalars) }

    var count: Int { scalars.count }

    subscript(_ index: Int) -> Unicode.Scalar { scalars[index] }

    /// The text of `range` as a String.
    func string(_ range: Range<Int>) -> String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[range])
        return String(result)
    }

    /// Whether `pattern` occurs at `index`.
    func matches(_ pattern: [Unicode.Scalar], at index: Int) -> Bool {
        guard index >= 0, index + pattern.count <= count else { return false }
        for offset in pattern.indices where scalars[index + offset] != pattern[offset] { return false }
        return true
    }

    /// The start of the last occurrence of `pattern` that begins before `end` (and not before `lowest`).
    func lastIndex(of pattern: [Unicode.Scalar], before end: Int, notBefore lowest: Int = 0) -> Int? {
        var index = min(end, count - pattern.count + 1) - 1
        let floor = max(lowest, 0)
        while index >= floor {
            if matches(pattern, at: index) { return index }
            index -= 1
        }
        return nil
    }

    /// The index of the `}` closing the `{` at `open`; escaped `\{` and `\}` do not count, so sets nest inside.
    func closingBrace(from open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < count {
            let scalar = scalars[index]
            if scalar == "\\" {
                index += 2
                continue
            }
            if scalar == "{" {
                depth += 1
            } else if scalar == "}" {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }

    /// Whether the scalar at `index` exists and is an ASCII letter (commands end where letters end).
    func isLetter(at index: Int) -> Bool {
        guard index >= 0, index < count else { return false }
        return scalars[index].properties.isAlphabetic && scalars[index].isASCII
    }
}

extension String {
    /// The scalars of an ASCII pattern, for `LatexText` searches.
    var scalarArray: [Unicode.Scalar] { Array(unicodeScalars) }
}

extension String {
    /// Every occurrence of `pattern` replaced, scanning scalars: Foundation's bridged search costs more than
    /// the whole rest of normalising a short answer.
    func replacingAll(_ pattern: String, with replacement: String) -> String {
        let source = LatexText(self)
        let needle = pattern.scalarArray
        guard !needle.isEmpty, source.count >= needle.count else { return self }
        var output = String.UnicodeScalarView()
        var changed = false
        var index = 0
        while index < source.count {
            if source[index] == needle[0], source.matches(needle, at: index) {
                output.append(contentsOf: replacement.unicodeScalars)
                index += needle.count
                changed = true
            } else {
                output.append(source[index])
                index += 1
            }
        }
        return changed ? String(output) : self
    }

    /// Whether `pattern` occurs, by the same scalar scan.
    func containsScalars(_ pattern: String) -> Bool {
        let source = LatexText(self)
        return source.lastIndex(of: pattern.scalarArray, before: source.count) != nil
    }
}
