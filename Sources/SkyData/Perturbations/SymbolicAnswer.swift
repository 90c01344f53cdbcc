/// A LaTeX answer cut into tokens (`\sin`, `\{`, `x`, `+`, …) with bracket depths, for the rules that change
/// answers without a number: which operator is binary, what lies at the top level, whether it is a formula at all.
struct SymbolicAnswer {
    /// One token: a command (`\sin`), an escaped symbol (`\{`, `\,`) or a single character.
    struct Token: Equatable {
        var text: String
        /// Bracket depth before the token: 0 at the top level; an opening bracket sits at the depth outside it.
        var depth: Int

        var isCommand: Bool { text.count > 1 && text.hasPrefix("\\") && text.dropFirst().allSatisfy(\.isLetter) }
        var isSpace: Bool { text == " " || text == "\\," || text == "\\;" || text == "\\!" || text == "\\ " || text == "~" }
    }

    /// Commands a formula may hold; anything else (`\text`, `\emptyset`, `\begin`) makes the answer something else.
    static let mathCommands = Set([
        "pi", "infty", "frac", "dfrac", "tfrac", "sqrt", "cdot", "times", "div", "pm", "mp", "le", "ge", "leq", "geq",
        "lt", "gt", "ne", "neq", "leqslant", "geqslant", "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos",
        "arctan", "arccot", "sinh", "cosh", "tanh", "coth", "ln", "log", "exp", "left", "right", "cup", "cap", "in", "circ",
        "prime", "binom", "dbinom", "tbinom", "overline", "bar", "vec", "hat", "angle", "mathbf", "lfloor", "rfloor",
        "lceil", "rceil", "cdots", "ldots",
    ]).union(greek)

    /// Greek letters, which are variables (`\pi` is not among them).
    static let greek: Set<String> = [
        "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa",
        "lambda", "mu", "nu", "xi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
        "Gamma", "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega",
    ]

    /// Relations, each with its mirror image (`=` and `\ne` have none).
    static let flippedRelations: [String: String] = [
        "<": ">", ">": "<", "\\le": "\\ge", "\\ge": "\\le", "\\leq": "\\geq", "\\geq": "\\leq", "\\lt": "\\gt", "\\gt": "\\lt",
        "\\leqslant": "\\geqslant", "\\geqslant": "\\leqslant",
    ]

    /// The tokens in order.
    var tokens: [Token]

    /// Cuts `text` into tokens.
    init(_ text: String) {
        tokens = []
        let characters = Array(text)
        var index = 0
        var depth = 0
        while index < characters.count {
            var piece = String(characters[index])
            index += 1
            if piece == "\\", index < characters.count {
                if characters[index].isLetter {
                    while index < characters.count, characters[index].isASCII, characters[index].isLetter {
                        piece.append(characters[index])
                        index += 1
                    }
                } else {
                    piece.append(characters[index])
                    index += 1
                }
            }
            if ["(", "[", "{", "\\{"].contains(piece) {
                tokens.append(Token(text: piece, depth: depth))
                depth += 1
            } else if [")", "]", "}", "\\}"].contains(piece) {
                depth -= 1
                tokens.append(Token(text: piece, depth: depth))
            } else {
                tokens.append(Token(text: piece, depth: depth))
            }
        }
    }

    /// The text the tokens spell.
    var text: String { tokens.map(\.text).joined() }

    /// Whether `text` has a run of letters that reads as a word (four or more, or a capital followed by small
    /// letters, as in a name) outside commands: such an answer is text, not a product of variables.
    static func hasWord(_ text: String) -> Bool {
        for token in SymbolicAnswer(text).tokens.split(whereSeparator: { !($0.text.count == 1 && $0.text.first!.isLetter) }) {
            let letters = token.map { $0.text.first! }
            if letters.count >= 4 { return true }
            if letters.count >= 2, letters[0].isUppercase, letters[1].isLowercase { return true }
        }
        return false
    }

    /// Whether the answer is a formula made of letters, operators, brackets and known math commands.
    var isFormula: Bool {
        guard !tokens.isEmpty, !Self.hasWord(text) else { return false }
        return tokens.allSatisfy { token in
            if token.isCommand { return Self.mathCommands.contains(String(token.text.dropFirst())) }
            if token.text.hasPrefix("\\") { return ["\\{", "\\}", "\\,", "\\;", "\\!", "\\ "].contains(token.text) }
            let character = token.text.first!
            return (character.isASCII && (character.isLetter || character.isNumber)) || " +-*/^_(){}[]|,.'=<>!:~".contains(character)
        }
    }

    /// The meaningful tokens: spaces dropped.
    var solid: [Token] { tokens.filter { !$0.isSpace } }

    /// Positions of top-level tokens whose text is in `texts`.
    func topLevel(_ texts: Set<String>) -> [Int] {
        tokens.indices.filter { tokens[$0].depth == 0 && texts.contains(tokens[$0].text) }
    }

    /// Whether the answer is one group, `(…)`, `[…)` or `\{…\}`, closing only at its last token.
    var isSingleGroup: Bool {
        let solid = solid
        guard let first = solid.first, let last = solid.last, solid.count >= 2, ["(", "[", "\\{"].contains(first.text),
              [")", "]", "\\}"].contains(last.text) else { return false }
        return solid.dropFirst().dropLast().allSatisfy { $0.depth >= 1 }
    }

    /// Positions of `+` and `-` at the top level that join two terms (not the sign of a term).
    func binarySigns() -> [Int] {
        topLevel(["+", "-"]).filter { position in
            guard let previous = tokens[..<position].last(where: { !$0.isSpace }) else { return false }
            if previous.isCommand {
                let name = String(previous.text.dropFirst())
                return name == "pi" || name == "infty" || Self.greek.contains(name)
            }
            guard let character = previous.text.last, !previous.text.hasPrefix("\\") || previous.text == "\\}" else { return false }
            return character.isLetter || character.isNumber || ")]}'!".contains(character)
        }
    }

    /// The answer with its sign changed: `-x` → `x`, `x` → `-x`, `a + b` → `-(a + b)`.
    static func negated(_ text: String) -> String {
        let answer = SymbolicAnswer(text)
        let solid = answer.solid
        if solid.first?.text == "-", answer.binarySigns().isEmpty {
            return String(text.drop { $0 == " " }.dropFirst().drop { $0 == " " })
        }
        return answer.binarySigns().isEmpty ? "-" + text : "-(" + text + ")"
    }
}
