/// Answers that are a letter or a word: multiple-choice letters and the words a question's answer is one of.
extension WrongValue {
    /// The wrappers a choice or a word is written in; `\text{(C)}` and `\textbf{(C)}` are the AMC habit.
    private static let wrappers = ["\\text{", "\\textbf{", "\\mathrm{", "\\mathbf{", "\\textrm{", "\\mbox{"]

    /// Words whose answer is one of a few, each mapped to a wrong one (days move to the next day).
    private static let opposites: [String: String] = {
        var table: [String: String] = [:]
        let pairs = [
            ("yes", "no"), ("true", "false"), ("odd", "even"), ("increasing", "decreasing"), ("positive", "negative"),
            ("always", "never"), ("possible", "impossible"), ("finite", "infinite"), ("convergent", "divergent"),
            ("converges", "diverges"), ("rational", "irrational"), ("left", "right"), ("north", "south"), ("east", "west"),
            ("maximum", "minimum"), ("max", "min"), ("prime", "composite"), ("inside", "outside"), ("above", "below"),
        ]
        for (a, b) in pairs {
            table[a] = b
            table[b] = a
        }
        table["neither"] = "even"
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        for (index, day) in days.enumerated() { table[day] = days[(index + 1) % days.count] }
        return table
    }()

    /// `C`, `(C)`, `\text{(C)}`, `\textbf{(B)}` → another of A–E in the same spelling (a–e for `(c)`).
    static func choice(_ text: String, rng: inout SplitMix64) -> String? {
        let (prefix, inner, suffix) = unwrapped(text)
        var core = Substring(inner)
        var open = "", close = ""
        if core.hasPrefix("("), core.hasSuffix(")") {
            core = core.dropFirst().dropLast()
            (open, close) = ("(", ")")
        }
        guard core.count == 1, let letter = core.first, let ascii = letter.asciiValue else { return nil }
        let upper = (0x41...0x45).contains(ascii)
        // A bare lowercase letter is a variable; "(c)" is a choice.
        guard upper || ((0x61...0x65).contains(ascii) && !open.isEmpty) else { return nil }
        let first: UInt8 = upper ? 0x41 : 0x61
        var pick = UInt8(rng.below(4))
        if first + pick >= ascii { pick += 1 }
        return prefix + open + String(UnicodeScalar(first + pick)) + close + suffix
    }

    /// `\text{yes}` → `\text{no}`, `Odd` → `Even`, `\text{Monday}` → `\text{Tuesday}`: the word's wrong counterpart, same capitals.
    static func word(_ text: String) -> String? {
        let (prefix, inner, suffix) = unwrapped(text)
        let leading = inner.prefix { $0 == " " }
        let trailing = inner.reversed().prefix { $0 == " " }
        let word = inner.dropFirst(leading.count).dropLast(trailing.count)
        guard word.count >= 2, word.allSatisfy({ $0.isASCII && $0.isLetter }),
              let wrong = opposites[word.lowercased()] else { return nil }
        let cased: String
        if word.allSatisfy(\.isUppercase) {
            cased = wrong.uppercased()
        } else if word.first!.isUppercase {
            cased = wrong.prefix(1).uppercased() + wrong.dropFirst()
        } else {
            cased = wrong
        }
        return prefix + leading + cased + String(trailing) + suffix
    }

    /// `text` split into a font or text wrapper and its content (`\text{`, `(C)`, `}`); no wrapper gives empty ends.
    private static func unwrapped(_ text: String) -> (prefix: String, inner: String, suffix: String) {
        for wrapper in wrappers where text.hasPrefix(wrapper) && text.hasSuffix("}") && text.count > wrapper.count {
            return (wrapper, String(text.dropFirst(wrapper.count).dropLast()), "}")
        }
        return ("", text, "")
    }
}
