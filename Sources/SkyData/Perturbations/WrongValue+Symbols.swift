/// Answers without a standalone number: choices and words, constants, variables, intervals and tuples of
/// letters, relations, functions and signs. Each rule changes what the answer means, not how it is written.
extension WrongValue {
    /// Functions and the one each becomes; pairs that agree nowhere on the grader's sample points.
    private static let swappedFunctions: [String: String] = {
        var table: [String: String] = [:]
        for (a, b) in [("sin", "cos"), ("tan", "cot"), ("sec", "csc"), ("arcsin", "arccos"), ("arctan", "arccot"),
                       ("sinh", "cosh"), ("tanh", "coth"), ("ln", "log")] {
            table["\\" + a] = "\\" + b
            table["\\" + b] = "\\" + a
        }
        return table
    }()

    /// Letters a variable may become: not `e` or `i` (constants to the grader), nor `l` and `o` (read as 1 and 0).
    private static let lowercaseVariables = Array("abcdfghjkmnpqrstuvwxyz")
    private static let uppercaseVariables = Array("ABCDFGHJKLMNPQRSTUVWXYZ")
    private static let greekVariables = ["\\alpha", "\\beta", "\\gamma", "\\theta", "\\phi", "\\lambda", "\\mu", "\\omega"]

    /// The wrong answer for an answer without a number the rules in `WrongValue.swift` read, or nil.
    static func symbol(_ text: String, rng: inout SplitMix64) -> (kind: String, text: String)? {
        if let choice = choice(text, rng: &rng) { return ("choice", choice) }
        if let word = word(text) { return ("text", word) }
        let answer = SymbolicAnswer(text)
        guard answer.isFormula else { return nil }
        if answer.isSingleGroup, !answer.topLevelInGroup([","]).isEmpty { return group(answer) }
        let relations = answer.topLevel(Set(SymbolicAnswer.flippedRelations.keys).union(["=", "\\ne", "\\neq"]))
        if !relations.isEmpty { return relation(answer, at: relations, rng: &rng).map { ("relation", $0) } }
        guard answer.topLevel([","]).isEmpty, !answer.tokens.contains(where: { ["\\cup", "\\cap", "\\in", "\\{"].contains($0.text) }) else {
            return nil
        }
        return term(answer, rng: &rng)
    }

    /// One term or sum, changed by the first rule that fits: constant, variable, function, operator, sign.
    private static func term(_ answer: SymbolicAnswer, rng: inout SplitMix64) -> (kind: String, text: String) {
        let text = answer.text
        let solid = answer.solid.map(\.text)
        switch solid {
        case ["\\pi"], ["-", "\\pi"]: return ("constant", text.replacingFirst("\\pi", with: "2\\pi"))
        case ["\\infty"], ["+", "\\infty"]: return ("constant", "-\\infty")
        case ["-", "\\infty"]: return ("constant", "\\infty")
        case ["e"]: return ("constant", "2e")
        case ["i"]: return ("constant", "-i")
        default: break
        }
        if solid.count == 1, let variable = variable(solid[0], rng: &rng) { return ("variable", variable) }
        if let position = answer.tokens.firstIndex(where: { swappedFunctions[$0.text] != nil }) {
            var changed = answer
            changed.tokens[position].text = swappedFunctions[answer.tokens[position].text]!
            return ("function", changed.text)
        }
        // A bar can open |−x| as well as close |a|−|b|: which signs are binary is unclear, so such answers change sign.
        if !text.contains("|"), let position = answer.binarySigns().first {
            var changed = answer
            changed.tokens[position].text = answer.tokens[position].text == "+" ? "-" : "+"
            return ("symbolic", changed.text)
        }
        return ("symbolic", SymbolicAnswer.negated(text))
    }

    /// `x` → another letter of the same case, `\theta` → another Greek letter.
    private static func variable(_ token: String, rng: inout SplitMix64) -> String? {
        if token.hasPrefix("\\") {
            guard SymbolicAnswer.greek.contains(String(token.dropFirst())) else { return nil }
            let pool = greekVariables.filter { $0 != token }
            return pool[rng.below(pool.count)]
        }
        guard token.count == 1, let letter = token.first, letter.isASCII, letter.isLetter else { return nil }
        let pool = (letter.isUppercase ? uppercaseVariables : lowercaseVariables).filter { $0 != letter }
        return String(pool[rng.below(pool.count)])
    }

    /// `x < y` → `x > y` (every relation of a chain mirrored); `y = x` → `y = ` a wrong right side.
    private static func relation(_ answer: SymbolicAnswer, at positions: [Int], rng: inout SplitMix64) -> String? {
        let texts = positions.map { answer.tokens[$0].text }
        if texts.allSatisfy({ SymbolicAnswer.flippedRelations[$0] != nil }) {
            var changed = answer
            for position in positions { changed.tokens[position].text = SymbolicAnswer.flippedRelations[answer.tokens[position].text]! }
            return changed.text
        }
        guard texts == ["="] else { return nil }
        let left = answer.tokens[...positions[0]].map(\.text).joined()
        let right = answer.tokens[(positions[0] + 1)...].map(\.text).joined()
        let trimmed = String(StepSplit.trimmed(right[...]))
        let gap = right.prefix { $0 == " " }
        guard !trimmed.isEmpty else { return nil }
        return left + gap + term(SymbolicAnswer(trimmed), rng: &rng).text
    }

    /// Intervals with an infinite end flip the bracket of a finite end (`(-\infty, a]` → `(-\infty, a)`);
    /// tuples and sets of letters change the sign of their last element.
    private static func group(_ answer: SymbolicAnswer) -> (kind: String, text: String)? {
        let solid = answer.tokens.indices.filter { !answer.tokens[$0].isSpace }
        let open = solid.first!, close = solid.last!
        let commas = answer.topLevelInGroup([","])
        let firstElement = answer.tokens[(open + 1)..<commas.first!].map(\.text).joined()
        let lastElement = answer.tokens[(commas.last! + 1)..<close].map(\.text).joined()
        var changed = answer
        if answer.tokens.contains(where: { $0.text == "\\infty" }), answer.tokens[open].text != "\\{" {
            if !firstElement.contains("\\infty") {
                changed.tokens[open].text = answer.tokens[open].text == "(" ? "[" : "("
            } else if !lastElement.contains("\\infty") {
                changed.tokens[close].text = answer.tokens[close].text == ")" ? "]" : ")"
            } else {
                let tail = SymbolicAnswer(" 0").tokens
                changed.tokens.replaceSubrange((commas.last! + 1)..<close, with: tail)
            }
            return ("interval", changed.text)
        }
        let trimmed = String(StepSplit.trimmed(lastElement[...]))
        guard !trimmed.isEmpty else { return nil }
        let leading = lastElement.prefix { $0 == " " }
        let trailing = String(lastElement.reversed().prefix { $0 == " " })
        let element = SymbolicAnswer.Token(text: leading + SymbolicAnswer.negated(trimmed) + trailing, depth: 1)
        changed.tokens.replaceSubrange((commas.last! + 1)..<close, with: [element])
        return (answer.tokens[open].text == "\\{" ? "set" : "tuple", changed.text)
    }
}

extension SymbolicAnswer {
    /// Positions of tokens in `texts` directly inside the outer group (depth 1).
    func topLevelInGroup(_ texts: Set<String>) -> [Int] {
        guard isSingleGroup else { return [] }
        return tokens.indices.filter { tokens[$0].depth == 1 && texts.contains(tokens[$0].text) }
    }
}

extension String {
    /// The string with its first `target` replaced.
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
