/// Handles `\text{…}` and its relatives: words after a quantity are units and go ("5\text{ cm}^2" → "5");
/// otherwise the braces go and the content stays ("\text{(A)}" → "(A)", "\mathrm{e}" → "e").
enum TextGroups {
    /// Commands whose word content, next to a number, is a unit.
    static let textCommands: Set<String> = ["text", "textbf", "textit", "textrm", "textnormal", "mbox", "textup"]
    /// Commands that only change the font: always unwrapped.
    static let fontCommands: Set<String> = ["mathrm", "mathbf", "mathit", "operatorname", "boldsymbol", "mathsf"]

    static func unwrapOrDrop(_ text: String) -> String {
        let source = LatexText(text)
        guard text.containsScalars("\\") else { return text }
        let hasDigit = text.unicodeScalars.contains { $0.isASCIIDigit }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < source.count {
            guard source[index] == "\\", source.isLetter(at: index + 1) else {
                output.append(source[index])
                index += 1
                continue
            }
            var end = index + 1
            while source.isLetter(at: end) { end += 1 }
            let name = source.string(index + 1..<end)
            var open = end
            while open < source.count, source[open] == " " { open += 1 }
            guard textCommands.contains(name) || fontCommands.contains(name), open < source.count, source[open] == "{",
                  let close = source.closingBrace(from: open) else {
                output.append(contentsOf: source.scalars[index..<end])
                index = end
                continue
            }
            let content = source.string(open + 1..<close)
            let word = content.trimmingASCIIWhitespace()
            index = close + 1
            if word.lowercased() == "and" || word.lowercased() == "or" {
                output.append(",")
            } else if textCommands.contains(name), hasDigit, !word.isEmpty, word.allSatisfy({ $0.isLetter || $0 == " " || $0 == "." }) {
                index = skipUnitPower(source, from: index)
            } else if isCompoundUnit(word), let previous = output.last(where: { $0 != " " }), previous.isASCIIDigit {
                // "10\,\text{m/s}", "10 \mathrm{~m/s}": a unit with a slash or power right after a number.
                index = skipUnitPower(source, from: index)
            } else {
                output.append(contentsOf: content.unicodeScalars)
            }
        }
        return String(output)
    }

    /// "m/s", "~km/h", "m/s^2": letters joined by a slash or raised to a power, at least two letters, so `\mathrm{e}`
    /// (the constant) is no unit.
    static func isCompoundUnit(_ word: String) -> Bool {
        let body = word.drop { $0 == "~" || $0 == " " }
        return body.filter(\.isLetter).count >= 2 && body.first?.isLetter == true && body.contains { $0 == "/" || $0 == "^" }
            && body.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/^ .".contains($0)) }
    }

    /// Skips "^2", "^3", "^{2}" after a dropped unit, so "cm^2" does not leave a square on the number.
    static func skipUnitPower(_ source: LatexText, from index: Int) -> Int {
        guard index < source.count, source[index] == "^" else { return index }
        for power in ["^2", "^3", "^{2}", "^{3}"] where source.matches(power.scalarArray, at: index) {
            return index + power.unicodeScalars.count
        }
        return index
    }
}
