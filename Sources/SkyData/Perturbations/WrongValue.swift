import Foundation

/// Makes a different answer of the same type: an integer for an integer, a fraction for a fraction.
///
/// - integer `n` → `n + d`, `d` a nonzero integer in −9…9 (kept non-negative when `n` was);
/// - decimal with k places → the same with its last place moved by `d`, still k places;
/// - fraction `\frac{a}{b}` (also `\dfrac`, `\tfrac`, `a/b`) → numerator `a + d` (≠ 0), same denominator;
/// - anything else with a standalone number (e.g. `2\sqrt{3}`) → its last number moved as an integer;
/// - no number at all → nil: the sample is counted as unsupported and left as it is.
enum WrongValue {
    /// The kind of an answer (`integer`, `decimal`, `fraction`, `expression`), or nil when it has no number.
    static func kind(of answer: String) -> String? {
        var rng = SplitMix64(seed: 0)
        return make(for: answer, rng: &rng)?.kind
    }

    /// The kind of answer and its wrong replacement, or nil when there is no number to change.
    static func make(for answer: String, rng: inout SplitMix64) -> (kind: String, text: String)? {
        let trimmed = String(StepSplit.trimmed(answer[...]))
        if let n = Int(trimmed.replacingOccurrences(of: ",", with: "")), trimmed.first != "+" {
            return ("integer", String(shift(n, rng: &rng)))
        }
        if let decimal = decimal(trimmed, rng: &rng) { return ("decimal", decimal) }
        if let fraction = fraction(trimmed, rng: &rng) { return ("fraction", fraction) }
        let bytes = Array(trimmed.utf8)
        guard let last = NumberScanner.numbers(in: bytes).last,
              let value = Int(String(decoding: bytes[last], as: UTF8.self))
        else { return nil }
        let replaced = Array(bytes[..<last.lowerBound]) + Array(String(shift(value, rng: &rng)).utf8) + Array(bytes[last.upperBound...])
        return ("expression", String(decoding: replaced, as: UTF8.self))
    }

    private static func shift(_ n: Int, rng: inout SplitMix64) -> Int {
        var d = rng.int(in: 1...9)
        if rng.chance(0.5) { d = -d }
        let moved = n + d
        return n >= 0 && moved < 0 ? n - d : moved
    }

    private static func decimal(_ text: String, rng: inout SplitMix64) -> String? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let whole = Int(parts[0]), !parts[1].isEmpty, parts[1].allSatisfy(\.isASCII),
              let fraction = Int(parts[1]), parts[0].first != "+"
        else { return nil }
        let places = parts[1].count
        let negative = parts[0].hasPrefix("-")
        let scale = (0..<places).reduce(1) { acc, _ in acc * 10 }
        let scaled = (abs(whole) * scale + fraction) * (negative ? -1 : 1)
        let moved = shift(scaled, rng: &rng)
        let sign = moved < 0 ? "-" : ""
        let magnitude = abs(moved)
        let digits = String(magnitude % scale)
        return "\(sign)\(magnitude / scale).\(String(repeating: "0", count: places - digits.count))\(digits)"
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

    private static func numerator(_ a: Int, rng: inout SplitMix64) -> Int {
        var moved = shift(a, rng: &rng)
        if moved == 0 { moved = a + (a >= 0 ? 1 : -1) * 10 }
        return moved
    }
}
