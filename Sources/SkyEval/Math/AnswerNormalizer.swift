/// An answer in canonical text form, and whether it carried a percent sign (which licenses the ×100 rule).
public struct NormalizedAnswer: Sendable, Equatable {
    /// The canonical text: no spaces, units, degree marks, `\left`/`\right` or `x =` prefix.
    public var text: String
    /// Whether `%`, `\%` or "percent" was removed.
    public var hadPercent: Bool
    /// The answer before its "x =" prefix was removed ("y=2x+1"), when it had one: against an equation, it is
    /// the equation that is compared.
    public var statement: String?

    /// An answer already in canonical form.
    public init(text: String, hadPercent: Bool, statement: String? = nil) {
        self.text = text
        self.hadPercent = hadPercent
        self.statement = statement
    }
}

/// Rewrites an answer into the canonical text the equivalence rules compare.
public enum AnswerNormalizer {
    /// Normalises `answer`; text longer than `limits.maxAnswerLength` is only trimmed.
    public static func normalize(_ answer: String, limits: GradingLimits = .standard) -> NormalizedAnswer {
        var text = answer.trimmingASCIIWhitespace()
        guard text.unicodeScalars.count <= limits.maxAnswerLength else { return NormalizedAnswer(text: text, hadPercent: false) }
        // "32, 349" is two numbers; only "32,349" (or "32,\! 349") may be one with a thousands separator.
        let spacedComma = hasSpacedComma(text)
        text = stripDelimiters(text)
        text = undoubleBackslashes(text)
        text = dropInnerDollars(text)
        text = replaceUnicode(text)
        text = asciiRelations(text)
        text = LatexCommands.rewrite(text)
        text = TextGroups.unwrapOrDrop(text)
        text = connectivesAsCommas(text)
        for degree in ["^{\\circ}", "^\\circ", "\\circ", "°"] { text = text.replacingAll(degree, with: "") }
        var hadPercent = false
        if text.containsScalars("%") {
            hadPercent = true
            text = text.replacingAll("%", with: "")
        }
        text = dropUnitWords(text, hadPercent: &hadPercent)
        text = removeSpaces(text)
        text = NumberForms.bracedCommas(text)
        text = text.trimmingSuffix(".")
        // "\approx 12.5" with nothing on the left states the value.
        if text.hasPrefix("\\approx") { text = String(text.dropFirst(7)) }
        let unstripped = text
        text = stripVariablePrefix(text)
        text = NumberForms.canonical(text, thousands: !spacedComma)
        let statement = text == unstripped || !unstripped.containsScalars("=") ? nil : unstripped
        return NormalizedAnswer(text: text, hadPercent: hadPercent, statement: statement)
    }

    /// Whether a comma is followed by spaces and then a digit ("32, 349"), by a scalar scan (Regex costs more than
    /// the rest of normalising).
    static func hasSpacedComma(_ text: String) -> Bool {
        let source = LatexText(text)
        var index = 0
        while index + 2 < source.count {
            if source[index] == ",", source[index + 1] == " " {
                var next = index + 1
                while next < source.count, source[next] == " " { next += 1 }
                if next < source.count, source[next].isASCIIDigit { return true }
            }
            index += 1
        }
        return false
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

    /// `\\left(` or `\\frac` where one backslash is meant: an escaping slip in a JSON or Python string. A real line
    /// break `\\` is followed by a letter only inside a matrix or array, so those are left alone.
    static func undoubleBackslashes(_ text: String) -> String {
        guard text.containsScalars("\\\\"), !text.containsScalars("\\begin") else { return text }
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            if source[index] == "\\", index + 2 < source.count, source[index + 1] == "\\", source.isLetter(at: index + 2) {
                index += 1
                continue
            }
            output.append(source[index])
            index += 1
        }
        return String(output)
    }

    /// A `$` left inside an answer once its outer delimiters are gone ("$125$ miles", "$1$ and $2$") opens or closes
    /// a math span around part of it; the escaped currency sign `\$` is another matter and stays for later.
    static func dropInnerDollars(_ text: String) -> String {
        guard text.containsScalars("$") else { return text }
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        for index in 0..<source.count where !(source[index] == "$" && (index == 0 || source[index - 1] != "\\")) {
            output.append(source[index])
        }
        return String(output).trimmingASCIIWhitespace()
    }

    /// `>=`, `<=` and `!=` as people type them are the relations `\ge`, `\le`, `\ne`.
    static func asciiRelations(_ text: String) -> String {
        guard text.containsScalars("=") else { return text }
        var text = text
        for (from, to) in [(">=", "\\ge "), ("<=", "\\le "), ("!=", "\\ne ")] where text.containsScalars(from) {
            text = text.replacingAll(from, with: to)
        }
        return text
    }

    /// "1 and 2", "$21,16$ or $11$", "(11,7)or(7,11)": the words that join the answers of a list are commas.
    static func connectivesAsCommas(_ text: String) -> String {
        guard text.containsScalars("and") || text.containsScalars("or") else { return text }
        var text = text
        for (from, to) in [(" and ", ","), (" or ", ","), (")or(", "),("), (")and(", "),(")] where text.containsScalars(from) {
            text = text.replacingAll(from, with: to)
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
        "m^2", "cm^3", "m^3", "percent", "pct", "percentage",
    ]

    /// Unit words that mean a percent sign.
    static let percentWords: Set<String> = ["percent", "pct", "percentage"]

    /// Drops trailing unit words after a number ("12 cm", "5 square units"); "percent" sets the flag.
    static func dropUnitWords(_ text: String, hadPercent: inout Bool) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: true)
        let units = words.reversed().prefix { unitWords.contains($0.lowercased()) }.count
        // Only after a quantity: in "a + m" the m is a variable.
        guard units > 0, units < words.count, let quantity = words[words.count - units - 1].last,
              quantity.isNumber || quantity == "}" || quantity == ")" else { return text }
        if words.suffix(units).contains(where: { percentWords.contains($0.lowercased()) }) { hadPercent = true }
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

    /// What may stand on the left of an answer's `=` as its name rather than as part of an equation: a variable, and
    /// also `f(x)`, `|AB|`, `AB`, `(p,q)`, `V_1:V_2`, `\frac{NO}{BO}` (no sum, difference or power, no leading number),
    /// so "(p,q)=(3,2)" states "(3,2)" while "a+3z=0", "x^2=4" and "7=11a+c" stay equations.
    static func isName(_ text: Substring) -> Bool {
        if isLoneVariable(text) { return true }
        guard let first = text.unicodeScalars.first, !first.isASCIIDigit, first != "-", first != "+", first != "." else { return false }
        let source = LatexText(text)
        var depth = 0
        var index = 0
        var hasVariable = false
        while index < source.count {
            let scalar = source[index]
            if scalar == "\\" {
                var end = index + 1
                while source.isLetter(at: end) { end += 1 }
                let name = source.string(index + 1..<max(end, index + 1))
                if LatexCommands.greek.contains(name) { hasVariable = true }
                guard ["frac", "mathrm", "overline", "angle", "triangle", "vec", "left", "right", "{", "}", "|"].contains(name)
                    || LatexCommands.greek.contains(name) || end == index + 1 else { return false }
                index = max(end, index + 2)
                continue
            }
            if "([{".unicodeScalars.contains(scalar) { depth += 1 }
            else if ")]}".unicodeScalars.contains(scalar) { depth -= 1 }
            else if depth == 0, "+-=<>".unicodeScalars.contains(scalar) { return false }
            else if scalar.isASCII, scalar.properties.isAlphabetic { hasVariable = true }
            else if !(scalar.isASCIIDigit || "_|:,.' ".unicodeScalars.contains(scalar)) { return false }
            index += 1
        }
        return hasVariable
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
