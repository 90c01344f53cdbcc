/// One lexical unit of a LaTeX answer.
enum LatexToken: Equatable, CustomStringConvertible {
    case number(Double)
    /// A one-letter variable, with its subscript when it has one ("x", "x_1").
    case letter(String)
    /// `\name` without the backslash.
    case command(String)
    case symbol(Character)

    var description: String {
        switch self {
        case .number(let value): return "\(value)"
        case .letter(let name): return name
        case .command(let name): return "\\" + name
        case .symbol(let symbol): return String(symbol)
        }
    }

    /// Tokens that may follow a factor with an implied multiplication ("2x", "3\sqrt{2}", "(a)(b)").
    var startsFactor: Bool {
        switch self {
        case .number, .letter: return true
        case .symbol(let symbol): return symbol == "(" || symbol == "[" || symbol == "{"
        case .command(let name):
            return ["pi", "infty", "frac", "dfrac", "tfrac", "cfrac", "sqrt", "binom", "dbinom", "tbinom"].contains(name)
                || MathExpression.functions.contains(name) || LatexCommands.greek.contains(name)
        }
    }

    /// `\{ \}` group like parentheses inside an expression; `\|` is a bar.
    static let escapedSymbols: [Unicode.Scalar: Character] = ["{": "(", "}": ")", "|": "|"]

    /// The longest function or Greek letter that `name` starts with when `name` itself is no command Sky knows and
    /// the rest is letters; nil otherwise (`\cotx` → cot, `\sinh` stays sinh).
    static func gluedPrefix(_ name: String) -> String? {
        let glueable = MathExpression.functions.union(LatexCommands.greek).union(["pi", "infty"])
        let known = glueable.union(LatexCommands.renamed.keys).union(TextGroups.textCommands).union(TextGroups.fontCommands)
        guard !known.contains(name) else { return nil }
        return glueable.filter { $0.count < name.count && name.hasPrefix($0) }.max { $0.count < $1.count }
    }

    static func tokenize(_ text: String) throws(LatexExpressionParser.Failure) -> [LatexToken] {
        let source = LatexText(text)
        var tokens: [LatexToken] = []
        var index = 0
        while index < source.count {
            let scalar = source[index]
            if scalar == " " { index += 1; continue }
            if scalar.isASCIIDigit || (scalar == "." && index + 1 < source.count && source[index + 1].isASCIIDigit) {
                // After ^ and _ LaTeX takes one character: x^23 is x² · 3, \log_28 is log₂ 8.
                let single = tokens.last == .symbol("^") || tokens.last == .symbol("_")
                var end = index + 1
                if !single {
                    var seenDot = scalar == "."
                    while end < source.count, source[end].isASCIIDigit || (!seenDot && source[end] == ".") {
                        if source[end] == "." { seenDot = true }
                        end += 1
                    }
                }
                guard let value = Double(source.string(index..<end)) else { throw .init(message: "bad number") }
                tokens.append(.number(value))
                index = end
            } else if scalar.isASCII, scalar.properties.isAlphabetic {
                var name = String(scalar)
                index += 1
                if index < source.count, source[index] == "_", index + 1 < source.count {
                    if source[index + 1] == "{", let close = source.closingBrace(from: index + 1) {
                        name += "_" + source.string(index + 2..<close)
                        index = close + 1
                    } else {
                        name += "_" + String(source[index + 1])
                        index += 2
                    }
                }
                tokens.append(.letter(name))
            } else if scalar == "\\" {
                var end = index + 1
                while source.isLetter(at: end) { end += 1 }
                if end > index + 1 {
                    let name = source.string(index + 1..<end)
                    // A function or Greek letter glued to its argument (`\cotx`, `\lnx`, `\pir^2`, as some golds are
                    // written) is read as the command and then letters, as Math-Verify reads it.
                    let glued = Self.gluedPrefix(name)
                    tokens.append(.command(glued ?? name))
                    index = glued.map { index + 1 + $0.count } ?? end
                } else if index + 1 < source.count, let symbol = escapedSymbols[source[index + 1]] {
                    tokens.append(.symbol(symbol))
                    index += 2
                } else {
                    throw .init(message: "stray backslash")
                }
            } else {
                tokens.append(.symbol(Character(scalar)))
                index += 1
            }
        }
        return tokens
    }
}
