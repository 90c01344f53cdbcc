/// An answer in canonical text form, and whether it carried a percent sign (which licenses the ×100 rule).
public struct NormalizedAnswer: Sendable, Equatable {
    /// The canonical text: no spaces, units, degree marks, `\left`/`\right` or `x =` prefix.
    public var text: String
    /// Whether `%`, `\%` or "percent" was removed.
    public var hadPercent: Bool

    /// An answer already in canonical form.
    public init(text: String, hadPercent: Bool) {
        self.text = text
        self.hadPercent = hadPercent
    }
}

/// Rewrites an answer into the canonical text the equivalence rules compare.
public enum AnswerNormalizer {
    /// Normalises `answer`; text longer than `limits.maxAnswerLength` is only trimmed.
    public static func normalize(_ answer: String, limits: GradingLimits = .standard) -> NormalizedAnswer {
        var text = answer.trimmingASCIIWhitespace()
        guard text.unicodeScalars.count <= limits.maxAnswerLength else { return NormalizedAnswer(text: text, hadPercent: false) }
        text = stripDelimiters(text)
        text = replaceUnicode(text)
        text = LatexCommands.rewrite(text)
        text = TextGroups.unwrapOrDrop(text)
        for degree in ["^{\\circ}", "^\\circ", "\\circ", "°"] { text = text.replacingAll(degree, with: "") }
        text = text.replacingAll("{,}", with: ",")
        var hadPercent = false
        if text.containsScalars("%") {
            hadPercent = true
            text = text.replacingAll("%", with: "")
        }
        text = dropUnitWords(text, hadPercent: &hadPercent)
        text = removeSpaces(text)
        text = text.trimmingSuffix(".")
        text = stripVariablePrefix(text)
        text = NumberForms.canonical(text)
        return NormalizedAnswer(text: text, hadPercent: hadPercent)
    }

    /// Removes whitespace, keeping one space where it ends a command name before a letter ("\\pi r" is not "\\pir").
    static func removeSpaces(_ text: String) -> String {
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        var inCommand = false
        var index = 0
        while index < source.count {
            let scalar = source[index]
            if " \t\n\r~".unicodeScalars.contains(scalar) {
                var next = index
                while next < source.count, " \t\n\r~".unicodeScalars.contains(source[next]) { next += 1 }
                if inCommand, source.isLetter(at: next) { output.append(" ") }
                inCommand = false
                index = next
                continue
            }
            if scalar == "\\" {
                inCommand = source.isLetter(at: index + 1)
            } else if !(inCommand && source.isLetter(at: index)) {
                inCommand = false
            }
            output.append(scalar)
            index += 1
        }
        return String(output)
    }

    /// Removes math delimiters around the whole answer, as gold answers often carry them.
    static func stripDelimiters(_ text: String) -> String {
        var text = text
        var changed = true
        while changed {
            changed = false
            for (open, close) in [("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]")]
            where text.count >= open.count + close.count && text.hasPrefix(open) && text.hasSuffix(close) {
                text = String(text.dropFirst(open.count).dropLast(close.count)).trimmingASCIIWhitespace()
                changed = true
                break
            }
        }
        return text
    }

    static func replaceUnicode(_ text: String) -> String {
        let table: [(String, String)] = [
            ("−", "-"), ("–", "-"), ("×", "\\times "), ("·", "\\cdot "), ("÷", "\\div "), ("≤", "\\le "), ("≥", "\\ge "),
            ("≠", "\\ne "), ("∞", "\\infty "), ("π", "\\pi "), ("√", "\\sqrt "), ("∪", "\\cup "),
        ]
        guard !text.unicodeScalars.allSatisfy(\.isASCII) else { return text }
        var text = text
        for (from, to) in table where text.containsScalars(from) { text = text.replacingAll(from, with: to) }
        return text
    }

    static let unitWords: Set<String> = [
        "cm", "m", "km", "mm", "in", "inch", "inches", "ft", "foot", "feet", "yd", "yard", "yards", "mile", "miles",
        "unit", "units", "sq", "square", "cubic", "degree", "degrees", "dollar", "dollars", "cent", "cents", "hour", "hours",
        "minute", "minutes", "second", "seconds", "day", "days", "meter", "meters", "kg", "g", "pound", "pounds", "mph", "cm^2",
        "m^2", "cm^3", "m^3", "percent",
    ]

    /// Drops trailing unit words after a number ("12 cm", "5 square units"); "percent" sets the flag.
    static func dropUnitWords(_ text: String, hadPercent: inout Bool) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let units = words.reversed().prefix { unitWords.contains($0.lowercased()) }.count
        // Only after a quantity: in "a + m" the m is a variable.
        guard units > 0, units < words.count, let quantity = words[words.count - units - 1].last,
              quantity.isNumber || quantity == "}" || quantity == ")" else { return text }
        if words.suffix(units).contains(where: { $0.lowercased() == "percent" }) { hadPercent = true }
        return words.dropLast(units).joined(separator: " ")
    }

    /// "x=3" → "3", "f(x)=…" kept: only a lone variable (optionally subscripted or Greek) on the left of a single `=`.
    static func stripVariablePrefix(_ text: String) -> String {
        // "x \\in [1,2]" says the same as "[1,2]".
        if let membership = text.firstRange(of: "\\in"), isLoneVariable(text[..<membership.lowerBound]),
           let next = text[membership.upperBound...].first, !next.isLetter {
            return String(text[membership.upperBound...])
        }
        let parts = text.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, isLoneVariable(parts[0]) else { return text }
        return String(parts[1])
    }

    static func isLoneVariable(_ text: Substring) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if first == "\\" {
            let name = text.dropFirst()
            return !name.isEmpty && name.allSatisfy { $0.isASCII && $0.isLetter } && LatexCommands.greek.contains(String(name))
        }
        guard first.isASCII, first.properties.isAlphabetic else { return false }
        let rest = text.dropFirst()
        if rest.isEmpty { return true }
        // x_1, x_{12}
        guard rest.hasPrefix("_") else { return false }
        return rest.dropFirst().allSatisfy { $0.isNumber || $0.isLetter || $0 == "{" || $0 == "}" }
    }
}
