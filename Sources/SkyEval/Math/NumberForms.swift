/// Canonical spellings of numbers: "1,000" → "1000", "12.00" → "12", ".5" → "0.5", "3/4" → "\frac{3}{4}",
/// "\frac12" → "\frac{1}{2}", "\sqrt2" → "\sqrt{2}".
enum NumberForms {
    static func canonical(_ text: String, thousands: Bool = true) -> String {
        var text = text
        if thousands, isThousandsSeparated(text) { text = text.replacingAll(",", with: "") }
        text = trimDecimals(text)
        text = braceShorthandArguments(text)
        return slashFraction(text) ?? mixedNumber(text) ?? text
    }

    /// `{,}` is TeX's comma that adds no space, written between digits: a thousands separator before exactly three
    /// digits ("14{,}916"), otherwise a decimal comma ("1{,}22", "3{,}5"); anywhere else it is a plain comma.
    static func bracedCommas(_ text: String) -> String {
        guard text.containsScalars("{,}") else { return text }
        let source = LatexText(text)
        let pattern = "{,}".scalarArray
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            guard source.matches(pattern, at: index) else {
                output.append(source[index])
                index += 1
                continue
            }
            var digits = index + 3
            while digits < source.count, source[digits].isASCIIDigit { digits += 1 }
            let between = index > 0 && source[index - 1].isASCIIDigit && digits > index + 3
            output.append(between && digits - index - 3 != 3 ? "." : ",")
            index += 3
        }
        return String(output)
    }

    /// "1\\frac{1}{2}" is one and a half as a whole answer (competition convention), not 1 × ½.
    static func mixedNumber(_ text: String) -> String? {
        let negative = text.hasPrefix("-")
        let body = negative ? text.dropFirst() : Substring(text)
        guard let frac = body.firstRange(of: "\\frac{"), let whole = Int(body[..<frac.lowerBound]),
              case let parts = body[frac.upperBound...].split(separator: "}", omittingEmptySubsequences: false),
              parts.count == 3, parts[2].isEmpty, let numerator = Int(parts[0]), parts[1].hasPrefix("{"),
              let denominator = Int(parts[1].dropFirst()), denominator > 0, whole < 1_000_000_000, denominator < 1_000_000_000
        else { return nil }
        return (negative ? "-" : "") + "\\frac{\(whole * denominator + numerator)}{\(denominator)}"
    }

    /// "-1,234,567.5": commas in threes from the left, and nothing else, so "1,2" stays a list.
    static func isThousandsSeparated(_ text: String) -> Bool {
        var body = Substring(text)
        if body.hasPrefix("-") { body = body.dropFirst() }
        if let dot = body.firstIndex(of: ".") {
            guard body[body.index(after: dot)...].allSatisfy(\.isASCIIDigit) else { return false }
            body = body[..<dot]
        }
        let groups = body.split(separator: ",", omittingEmptySubsequences: false)
        // "0,111" has no thousands: a leading zero group makes it a decimal comma or a list.
        guard groups.count > 1, (1...3).contains(groups[0].count), groups[0] != "0" else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isASCIIDigit) } && groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    static func trimDecimals(_ text: String) -> String {
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            let scalar = source[index]
            guard scalar == ".", index + 1 < source.count, source[index + 1].isASCIIDigit else {
                output.append(scalar)
                index += 1
                continue
            }
            let hasInteger = index > 0 && source[index - 1].isASCIIDigit
            var end = index + 1
            while end < source.count, source[end].isASCIIDigit { end += 1 }
            // A second dot ("1.2.3") means this is not a decimal number.
            if end < source.count, source[end] == "." { output.append(contentsOf: source.scalars[index..<end]); index = end; continue }
            var digits = Array(source.scalars[index + 1..<end])
            while digits.last == "0" { digits.removeLast() }
            if !hasInteger { output.append("0") }
            if !digits.isEmpty {
                output.append(".")
                output.append(contentsOf: digits)
            }
            index = end
        }
        return String(output)
    }

    /// Gives `\frac` and `\sqrt` braced arguments when written with single tokens.
    static func braceShorthandArguments(_ text: String) -> String {
        guard text.containsScalars("\\frac") || text.containsScalars("\\sqrt") else { return text }
        let source = LatexText(text)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            let isFrac = source.matches("\\frac".scalarArray, at: index) && !source.isLetter(at: index + 5)
            let isSqrt = source.matches("\\sqrt".scalarArray, at: index) && !source.isLetter(at: index + 5)
            guard isFrac || isSqrt else {
                output.append(source[index])
                index += 1
                continue
            }
            output.append(contentsOf: source.scalars[index..<index + 5])
            index += 5
            if isSqrt, index < source.count, source[index] == "[", let close = source.scalars[index...].firstIndex(of: "]") {
                output.append(contentsOf: source.scalars[index...close])
                index = close + 1
            }
            for _ in 0..<(isFrac ? 2 : 1) {
                guard index < source.count else { break }
                if source[index] == "{" {
                    guard let close = source.closingBrace(from: index) else { break }
                    output.append(contentsOf: source.scalars[index...close])
                    index = close + 1
                } else if source[index] == "\\" {
                    var end = index + 1
                    while source.isLetter(at: end) { end += 1 }
                    output.append("{")
                    output.append(contentsOf: source.scalars[index..<max(end, index + 1)])
                    output.append("}")
                    index = max(end, index + 1)
                } else {
                    output.append("{")
                    output.append(source[index])
                    output.append("}")
                    index += 1
                }
            }
        }
        return String(output)
    }

    /// "3/4" → "\frac{3}{4}", "-3/4" → "-\frac{3}{4}": only a whole answer of two integers.
    static func slashFraction(_ text: String) -> String? {
        let negative = text.hasPrefix("-")
        let parts = (negative ? text.dropFirst() : Substring(text)).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
        return (negative ? "-" : "") + "\\frac{\(parts[0])}{\(parts[1])}"
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
