import Foundation

/// Makes a different answer of the same kind: an integer for an integer, a fraction for a fraction, another
/// choice letter for a choice letter. Every rule changes the value, not only the spelling, so Sky's grader
/// (values equal within a relative 1e-4, expressions compared at random points) does not take the new
/// answer for the old one.
///
/// Numbers, tried first (and kept as they were before the other shapes came, so the same seed gives the
/// same wrong integer, decimal or fraction):
/// - integer `n` → `n + d`, `d` a nonzero integer in −9…9 (kept non-negative when `n` was), moved by a higher
///   digit when `n` is so large that `d` would come near the grader's tolerance; thousands separators kept;
/// - decimal with k places → the same with its last place moved by `d`, still k places;
/// - fraction `\frac{a}{b}` (also `\dfrac`, `\tfrac`, `a/b`) → numerator `a + d` (≠ 0), same denominator;
/// - based number `4210_5`, `4210_{5}` → one digit changed, every digit still below the base (`based`);
/// - scientific notation `1.5e3`, `3 \times 10^{8}` → the mantissa moved, the exponent kept (`scientific`);
/// - anything else with a standalone number (e.g. `2\sqrt{3}`, `30^\circ`, `(1, 2]`) → its last number moved.
///
/// Then answers without a number (see `WrongValue+Words.swift` and `WrongValue+Symbols.swift`): choice letters,
/// yes/no-style words, `\pi`/`\infty`, single variables, intervals and tuples of letters, functions
/// (`\cot x` → `\tan x`), operators and signs (`p - q` → `p + q`).
///
/// What none of these fits (names, matrices of letters, …) gets nil; `WrongAnswer` leaves such a sample as it is
/// and counts it under `residueKind(of:)`.
enum WrongValue {
    /// The kind of an answer (`integer`, `fraction`, `based`, `choice`, …), or nil when no wrong answer of its kind can be made.
    static func kind(of answer: String) -> String? {
        var rng = SplitMix64(seed: 0)
        return make(for: answer, rng: &rng)?.kind
    }

    /// The kind of answer and its wrong replacement, or nil when no rule can make one.
    static func make(for answer: String, rng: inout SplitMix64) -> (kind: String, text: String)? {
        let trimmed = String(StepSplit.trimmed(answer[...]))
        guard !trimmed.isEmpty, let made = number(trimmed, rng: &rng) ?? symbol(trimmed, rng: &rng) else { return nil }
        return made.text == trimmed || made.text.isEmpty ? nil : made
    }

    /// What an answer no rule can change is, for the counters: `matrix`, `text` or `other`.
    static func residueKind(of answer: String) -> String {
        if answer.contains("\\begin{"), answer.contains("matrix") { return "matrix" }
        if answer.contains("\\text") || answer.contains("\\mathrm") || SymbolicAnswer.hasWord(answer) { return "text" }
        return "other"
    }

    private static func number(_ trimmed: String, rng: inout SplitMix64) -> (kind: String, text: String)? {
        if let n = Int(trimmed), trimmed.first != "+" { return ("integer", String(shift(n, rng: &rng))) }
        if let grouped = groupedInteger(trimmed, rng: &rng) { return ("integer", grouped) }
        if let decimal = decimal(trimmed, rng: &rng) { return ("decimal", decimal) }
        if let fraction = fraction(trimmed, rng: &rng) { return ("fraction", fraction) }
        if let based = basedNumber(trimmed, rng: &rng) { return ("based", based) }
        if let scientific = scientific(trimmed, rng: &rng) { return ("scientific", scientific) }
        if let long = longInteger(trimmed, rng: &rng) { return ("integer", long) }
        let bytes = Array(trimmed.utf8)
        let numbers = NumberScanner.numbers(in: bytes)
        // In "6\text{ cm}^2" the 2 squares the unit and the grader drops it with the unit: the 6 is the answer.
        guard let last = numbers.last(where: { !isUnitPower($0, in: bytes) }) ?? numbers.last else { return nil }
        if let span = groupedSpan(endingAt: last, in: bytes),
           let grouped = groupedInteger(String(decoding: bytes[span], as: UTF8.self), rng: &rng) {
            let replaced = Array(bytes[..<span.lowerBound]) + Array(grouped.utf8) + Array(bytes[span.upperBound...])
            return ("expression", String(decoding: replaced, as: UTF8.self))
        }
        let text = String(decoding: bytes[last], as: UTF8.self)
        let moved: String
        // Inside a formula a root or a logarithm shrinks the move: the number moves by at least 0.1%.
        if let value = Int(text) {
            moved = String(numerator(value, rng: &rng, oneIn: 1000))
        } else if let decimal = decimal(text, rng: &rng, oneIn: 1000) {
            moved = decimal
        } else {
            return nil
        }
        let replaced = Array(bytes[..<last.lowerBound]) + Array(moved.utf8) + Array(bytes[last.upperBound...])
        return ("expression", String(decoding: replaced, as: UTF8.self))
    }

    /// Whether the number at `range` is the power of a unit written in `\text{…}` (`\text{ cm}^2`, `\mbox{m}^{3}`).
    private static func isUnitPower(_ range: Range<Int>, in bytes: [UInt8]) -> Bool {
        var before = bytes[..<range.lowerBound]
        if before.last == UInt8(ascii: "{") { before = before.dropLast() }
        guard before.last == UInt8(ascii: "^"), before.dropLast().last == UInt8(ascii: "}") else { return false }
        let text = String(decoding: before, as: UTF8.self)
        return text.contains("\\text") || text.contains("\\mbox")
    }

    /// `n` moved by a nonzero `d` in −9…9, or by `d` times a power of ten when `d` alone would come near the grader's
    /// relative tolerance (1e-4): the move is at least one part in `oneIn` of `n`, so 123456 never becomes the
    /// "equal" 123459.
    static func shift(_ n: Int, rng: inout SplitMix64, oneIn: Double = 5000) -> Int {
        var d = rng.int(in: 1...9)
        if rng.chance(0.5) { d = -d }
        while Double(abs(d)) * oneIn < Double(n.magnitude) { d *= 10 }
        let (moved, overflow) = n.addingReportingOverflow(d)
        return overflow || (n >= 0 && moved < 0) ? n - d : moved
    }

    /// `a` moved by `shift`, never to 0 (a zero numerator or divisor is another kind of answer).
    static func numerator(_ a: Int, rng: inout SplitMix64, oneIn: Double = 5000) -> Int {
        var moved = shift(a, rng: &rng, oneIn: oneIn)
        if moved == 0 { moved = a + (a >= 0 ? 1 : -1) * 10 }
        return moved
    }

    /// A decimal with k places moved in its last place (or a higher one for long decimals), still k places.
    static func decimal(_ text: String, rng: inout SplitMix64, oneIn: Double = 5000) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        // ".5" and "-.5" have a whole part of 0 that is not written, and keep not writing it.
        let bare = parts.count == 2 && (parts[0].isEmpty || parts[0] == "-")
        guard parts.count == 2, let whole = bare ? 0 : Int(parts[0]), !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII),
              let fraction = Int(parts[1]), parts[0].first != "+", parts[1].first != "-", parts[1].first != "+",
              parts[1].count <= 15
        else { return nil }
        let places = parts[1].count
        let negative = parts[0].hasPrefix("-")
        let unit = (0..<places).reduce(1) { acc, _ in acc * 10 }
        let (wide, overflow) = abs(whole).multipliedReportingOverflow(by: unit)
        guard !overflow, wide <= Int.max / 2 else { return nil }
        let scaled = (wide + fraction) * (negative ? -1 : 1)
        let moved = shift(scaled, rng: &rng, oneIn: oneIn)
        let sign = moved < 0 ? "-" : ""
        let magnitude = abs(moved)
        let digits = String(magnitude % unit)
        let wholeText = bare && magnitude / unit == 0 ? "" : String(magnitude / unit)
        return "\(sign)\(wholeText).\(String(repeating: "0", count: places - digits.count))\(digits)"
    }

    private static func fraction(_ text: String, rng: inout SplitMix64) -> String? {
        for command in ["\\frac", "\\dfrac", "\\tfrac"] {
            for sign in ["", "-"] where text.hasPrefix(sign + command + "{") {
                let body = text.dropFirst(sign.count + command.count)
                let pieces = body.dropFirst().dropLast().components(separatedBy: "}{")
                guard body.hasSuffix("}"), pieces.count == 2, let a = Int(pieces[0]), let b = Int(pieces[1]), b != 0 else { return nil }
                return "\(sign)\(command){\(numerator(a, rng: &rng))}{\(b)}"
            }
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), b != 0 else { return nil }
        return "\(numerator(a, rng: &rng))/\(b)"
    }
}
