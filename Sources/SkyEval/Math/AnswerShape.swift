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
        if let value = matrixArithmetic(text) ?? matrix(text) { return value }
        // "{1,2,3}" without backslashes is a TeX group around a list, not a set literal.
        if text.hasPrefix("{"), text.hasSuffix("}"), TopLevel.isSingleGroup(text), text.count > 2 {
            return of(String(text.dropFirst().dropLast()))
        }
        let unionParts = TopLevel.split(text, on: ["\\cup"]).parts
        if unionParts.count > 1 { return .union(unionParts.map(of)) }
        if text.hasPrefix("\\{"), text.hasSuffix("\\}"), TopLevel.isSingleGroup(text) {
            return .unordered(plusMinus(listElements(String(text.dropFirst(2).dropLast(2)))))
        }
        if let open = text.first, "([".contains(open), let close = text.last, ")]".contains(close), TopLevel.isSingleGroup(text) {
            let elements = listElements(String(text.dropFirst().dropLast()))
            if elements.count > 1 { return .ordered(open: open, close: close, elements) }
        }
        if let tuples = assignmentGroups(text) { return .unordered(tuples) }
        // Lists before relations, so "x=1,x=2" is two solutions rather than a chain x = 1,x = 2.
        let elements = listElements(text)
        if elements.count > 1 { return .unordered(plusMinus(elements.map(AnswerNormalizer.stripVariablePrefix))) }
        let (terms, operators) = TopLevel.split(text, on: ["\\approx", "\\le", "\\ge", "\\ne", "<", ">", "="])
        if terms.count > 1, !terms.contains(where: \.isEmpty) { return canonicalRelation(terms: terms, operators: operators) }
        let both = plusMinus([text])
        if both.count > 1 { return .unordered(both) }
        return .scalar(text)
    }

    /// "p=5,q=2;p=7,q=2": solutions as groups of assignments, one group per solution, read as the tuples (5,2),(7,2).
    static func assignmentGroups(_ text: String) -> [String]? {
        guard text.unicodeScalars.contains(";") else { return nil }
        let groups = TopLevel.split(text, on: [";"]).parts
        guard groups.count > 1 else { return nil }
        var tuples: [String] = []
        for group in groups {
            let assignments = TopLevel.split(group, on: [","]).parts
            guard assignments.count > 1 else { return nil }
            var values: [String] = []
            for assignment in assignments {
                let sides = assignment.split(separator: "=", omittingEmptySubsequences: false)
                guard sides.count == 2, !sides[1].isEmpty, AnswerNormalizer.isLoneVariable(sides[0]) else { return nil }
                values.append(String(sides[1]))
            }
            tuples.append("(" + values.joined(separator: ",") + ")")
        }
        return tuples
    }

    /// The elements of a list, split at top-level commas or semicolons ("(0;-2;6)", "-12;-11"); the empty ones that
    /// "19, 46, and 82" leaves once its "and" became a comma are dropped.
    static func listElements(_ text: String) -> [String] {
        let parts = TopLevel.split(text, on: [",", ";"]).parts
        guard parts.count > 1 else { return parts }
        let kept = parts.filter { !$0.isEmpty }
        return kept.isEmpty ? parts : kept
    }

    /// "a \\pm b" is the two answers a+b and a−b; elements without a top-level `\\pm` stay as they are.
    static func plusMinus(_ elements: [String]) -> [String] {
        guard elements.contains(where: { $0.containsScalars("\\pm") || $0.containsScalars("\\mp") }) else { return elements }
        return elements.flatMap { element -> [String] in
            let (parts, _) = TopLevel.split(element, on: ["\\pm", "\\mp"])
            guard parts.count == 2, !parts[1].isEmpty else { return [element] }
            return ["\(parts[0])+(\(parts[1]))", "\(parts[0])-(\(parts[1]))"]
        }
    }

    /// Turns > and ≥ chains around so that "x > 5" and "5 < x" have one form.
    static func canonicalRelation(terms: [String], operators: [String]) -> AnswerShape {
        let flipped = ["\\ge": "\\le", ">": "<"]
        guard operators.allSatisfy({ flipped[$0] != nil }) else { return .relation(terms: terms, operators: operators) }
        return .relation(terms: terms.reversed(), operators: operators.reversed().map { flipped[$0]! })
    }

    /// "A + B" or "A B" of matrices with constant entries, written out ("The sum is $A + B$"), as the matrix it is.
    static func matrixArithmetic(_ text: String) -> AnswerShape? {
        guard text.hasPrefix("\\begin{"), text.ranges(of: "\\begin{").count > 1 else { return nil }
        var rest = Substring(text)
        var result: [[Double]]?
        var pending = ""
        while !rest.isEmpty {
            guard rest.hasPrefix("\\begin{"), let nameEnd = rest.firstIndex(of: "}") else { return nil }
            let name = rest[rest.index(rest.startIndex, offsetBy: 7)..<nameEnd]
            guard name.hasSuffix("matrix"), let end = rest.firstRange(of: "\\end{\(name)}"),
                  case .matrix(let rows)? = matrix(String(rest[..<end.upperBound])),
                  let values = constants(rows) else { return nil }
            result = result.map { combine($0, values, pending) } ?? values
            guard result != nil else { return nil }
            rest = rest[end.upperBound...]
            pending = ""
            for operation in ["+", "-", "\\cdot", "\\times"] where rest.hasPrefix(operation) {
                pending = operation
                rest = rest.dropFirst(operation.count)
                break
            }
        }
        return result.map { .matrix($0.map { $0.map { "\($0)" } }) }
    }

    /// The entries' values, when every one is a number or a constant expression.
    static func constants(_ rows: [[String]]) -> [[Double]]? {
        var values: [[Double]] = []
        for row in rows {
            var parsed: [Double] = []
            for entry in row {
                guard let expression = try? LatexExpressionParser.parse(entry, maxDepth: GradingLimits.standard.maxDepth),
                      expression.variables.isEmpty else { return nil }
                parsed.append(expression.evaluate([:]))
            }
            values.append(parsed)
        }
        return values.isEmpty ? nil : values
    }

    /// a + b, a − b (same shapes) or the product a·b (inner sizes agree); nil when the shapes do not fit.
    static func combine(_ a: [[Double]]?, _ b: [[Double]], _ operation: String) -> [[Double]]? {
        guard let a, a.allSatisfy({ $0.count == a[0].count }), b.allSatisfy({ $0.count == b[0].count }) else { return nil }
        if operation == "+" || operation == "-" {
            guard a.count == b.count, a[0].count == b[0].count else { return nil }
            return zip(a, b).map { zip($0, $1).map { operation == "+" ? $0 + $1 : $0 - $1 } }
        }
        guard a[0].count == b.count else { return nil }
        return a.map { row in (0..<b[0].count).map { column in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[column] } } }
    }

    static func matrix(_ text: String) -> AnswerShape? {
        var text = Substring(text)
        // `\\left[\\begin{array}{cc}…\\end{array}\\right]` is a matrix written with an array in brackets.
        if let open = text.first, "([".contains(open), text.dropFirst().hasPrefix("\\begin{array}"), let close = text.last,
           ")]".contains(close) {
            text = text.dropFirst().dropLast()
        }
        guard text.hasPrefix("\\begin{"), let nameEnd = text.firstIndex(of: "}") else { return nil }
        let name = text[text.index(text.startIndex, offsetBy: 7)..<nameEnd]
        guard name.hasSuffix("matrix") || name == "array", text.hasSuffix("\\end{\(name)}") else { return nil }
        var bodyStart = text.index(after: nameEnd)
        if name == "array", text[bodyStart...].hasPrefix("{"), let specEnd = text[bodyStart...].firstIndex(of: "}") {
            bodyStart = text.index(after: specEnd)  // the column spec {cc}
        }
        let body = String(text[bodyStart...].dropLast(name.count + 6))
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
