/// The structure of a normalised answer: what is compared element by element before values are compared.
indirect enum AnswerShape: Equatable {
    case scalar(String)
    /// A tuple or interval: the brackets are part of the meaning ("[1,2)" is not "[1,2]").
    case ordered(open: Character, close: Character, [String])
    /// A set (`\{…\}`) or a bare list of solutions ("1, 2"): order does not matter.
    case unordered([String])
    case matrix([[String]])
    /// A chain of (in)equalities, written with < and ≤ only ("x > 5" is stored as "5 < x").
    case relation(terms: [String], operators: [String])
    case union([AnswerShape])

    /// The shape of `text`; elements stay text, shaped again when they are compared.
    static func of(_ text: String) -> AnswerShape {
        if let matrix = matrix(text) { return matrix }
        let unionParts = TopLevel.split(text, on: ["\\cup"]).parts
        if unionParts.count > 1 { return .union(unionParts.map(of)) }
        if text.hasPrefix("\\{"), text.hasSuffix("\\}"), TopLevel.isSingleGroup(text) {
            return .unordered(TopLevel.split(String(text.dropFirst(2).dropLast(2)), on: [","]).parts)
        }
        if let open = text.first, "([".contains(open), let close = text.last, ")]".contains(close), TopLevel.isSingleGroup(text) {
            let elements = TopLevel.split(String(text.dropFirst().dropLast()), on: [","]).parts
            if elements.count > 1 { return .ordered(open: open, close: close, elements) }
        }
        // Lists before relations, so "x=1,x=2" is two solutions rather than a chain x = 1,x = 2.
        let elements = TopLevel.split(text, on: [","]).parts
        if elements.count > 1 { return .unordered(elements.map(AnswerNormalizer.stripVariablePrefix)) }
        let (terms, operators) = TopLevel.split(text, on: ["\\le", "\\ge", "\\ne", "<", ">", "="])
        if terms.count > 1, !terms.contains(where: \.isEmpty) { return canonicalRelation(terms: terms, operators: operators) }
        return .scalar(text)
    }

    /// Turns > and ≥ chains around so that "x > 5" and "5 < x" have one form.
    static func canonicalRelation(terms: [String], operators: [String]) -> AnswerShape {
        let flipped = ["\\ge": "\\le", ">": "<"]
        guard operators.allSatisfy({ flipped[$0] != nil }) else { return .relation(terms: terms, operators: operators) }
        return .relation(terms: terms.reversed(), operators: operators.reversed().map { flipped[$0]! })
    }

    static func matrix(_ text: String) -> AnswerShape? {
        guard text.hasPrefix("\\begin{"), let nameEnd = text.firstIndex(of: "}") else { return nil }
        let name = text[text.index(text.startIndex, offsetBy: 7)..<nameEnd]
        guard name.hasSuffix("matrix"), text.hasSuffix("\\end{\(name)}") else { return nil }
        let body = String(text[text.index(after: nameEnd)...].dropLast(name.count + 6))
        let rows = TopLevel.split(body, on: ["\\\\"]).parts.filter { !$0.isEmpty }
        return .matrix(rows.map { TopLevel.split($0, on: ["&"]).parts })
    }
}

/// Splitting at separators outside any brackets; brackets need not match in kind, so "[1,2)" is one group.
enum TopLevel {
    static func split(_ text: String, on separators: [String]) -> (parts: [String], separators: [String]) {
        let source = LatexText(text)
        let patterns = separators.map { ($0, $0.scalarArray) }
        var parts: [String] = []
        var found: [String] = []
        var depth = 0
        var start = 0
        var index = 0
        while index < source.count {
            let scalar = source[index]
            if "([{".unicodeScalars.contains(scalar) { depth += 1 }
            else if ")]}".unicodeScalars.contains(scalar) { depth -= 1 }
            else if depth == 0, let (separator, pattern) = patterns.first(where: { source.matches($0.1, at: index) }),
                    !(separator.hasPrefix("\\") && separator.last!.isLetter && source.isLetter(at: index + pattern.count)) {
                parts.append(source.string(start..<index))
                found.append(separator)
                index += pattern.count
                start = index
                continue
            }
            index += 1
        }
        parts.append(source.string(start..<source.count))
        return (parts, found)
    }

    /// Whether the first bracket closes only at the last character: "(1,2)" but not "(1)+(2)".
    static func isSingleGroup(_ text: String) -> Bool {
        var depth = 0
        let scalars = Array(text.unicodeScalars)
        for (offset, scalar) in scalars.enumerated() {
            if "([{".unicodeScalars.contains(scalar) { depth += 1 }
            else if ")]}".unicodeScalars.contains(scalar) {
                depth -= 1
                if depth == 0 { return offset == scalars.count - 1 }
            }
        }
        return false
    }
}
