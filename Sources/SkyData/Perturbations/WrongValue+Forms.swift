import Foundation

/// Numbers written in forms the plain integer and decimal rules do not read: thousands separators, integers
/// too long for `Int`, based numbers and scientific notation.
extension WrongValue {
    /// Thousands separators as answers write them: `1,000`, `1{,}000`, `1\,000`, `1,\!000`.
    private static let separators = [",", "{,}", "\\,", ",\\!"]

    /// `12,345` → `12,348`: moved like an integer and written with the same separator; nil unless every group
    /// after the first has three digits.
    static func groupedInteger(_ text: String, rng: inout SplitMix64) -> String? {
        for separator in separators where text.contains(separator) {
            let groups = text.components(separatedBy: separator)
            var first = Substring(groups[0])
            let negative = first.hasPrefix("-")
            if negative { first = first.dropFirst() }
            guard groups.count >= 2, (1...3).contains(first.count), first.allSatisfy(isDigit),
                  groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(isDigit) }),
                  let n = Int((negative ? "-" : "") + first + groups.dropFirst().joined())
            else { continue }
            let moved = shift(n, rng: &rng)
            var digits = String(moved.magnitude)
            var grouped: [String] = []
            while digits.count > 3 {
                grouped.insert(String(digits.suffix(3)), at: 0)
                digits.removeLast(3)
            }
            grouped.insert(digits, at: 0)
            return (moved < 0 ? "-" : "") + grouped.joined(separator: separator)
        }
        return nil
    }

    /// The bytes of a thousands-grouped number whose last group is the number at `last` (`32,348` in `\$32,348`),
    /// or nil: the grader reads the groups as one number, so moving the last group alone may stay within its tolerance.
    static func groupedSpan(endingAt last: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
        let isDigit = { (byte: UInt8) in byte >= 0x30 && byte <= 0x39 }
        guard last.count == 3, bytes[last].allSatisfy(isDigit) else { return nil }
        var start = last.lowerBound
        while let separator = separators.map({ Array($0.utf8) })
            .first(where: { start >= $0.count && bytes[(start - $0.count)..<start].elementsEqual($0) }) {
            let end = start - separator.count
            var first = end
            while first > 0, isDigit(bytes[first - 1]), end - first < 4 { first -= 1 }
            // No digits, or four: not a group of thousands.
            guard (1...3).contains(end - first) else { break }
            start = first
            if end - first < 3 { break }
        }
        guard start < last.lowerBound, start == 0 || !(NumberScanner.isWord(bytes[start - 1]) || bytes[start - 1] == 0x2E) else {
            return nil
        }
        return start..<last.upperBound
    }

    /// An integer too long for `Int` (`2432902008176640000000`): its third digit moved, so the value changes by at least 0.1%.
    static func longInteger(_ text: String, rng: inout SplitMix64) -> String? {
        let negative = text.hasPrefix("-")
        var digits = Array((negative ? text.dropFirst() : text[...]).utf8)
        guard digits.count > 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), digits[0] != 0x30 else { return nil }
        let d = UInt8(rng.int(in: 1...9))
        digits[2] = 0x30 + (digits[2] - 0x30 + d) % 10
        return (negative ? "-" : "") + String(decoding: digits, as: UTF8.self)
    }

    /// `4210_5`, `4210_{5}`, `(4210)_5`, `\text{A3}_{16}` → one of the first three digits changed to another digit
    /// below the base (a leading digit never to 0), the base and the spelling kept.
    static func basedNumber(_ text: String, rng: inout SplitMix64) -> String? {
        guard let underscore = text.lastIndex(of: "_") else { return nil }
        var baseText = text[text.index(after: underscore)...]
        if baseText.hasPrefix("{"), baseText.hasSuffix("}") { baseText = baseText.dropFirst().dropLast() }
        guard let base = Int(baseText), (2...36).contains(base) else { return nil }
        let left = text[..<underscore]
        var body = left
        var prefix = ""
        var suffix = ""
        for (open, close) in [("(", ")"), ("\\text{", "}"), ("\\mathrm{", "}"), ("{", "}")]
        where left.hasPrefix(open) && left.hasSuffix(close) && left.count > open.count + close.count {
            body = left.dropFirst(open.count).dropLast(close.count)
            (prefix, suffix) = (open, close)
            break
        }
        let values = body.map { isDigit($0) ? $0.wholeNumberValue : Self.letterValue($0) }
        // "a_{12}" is a term of a sequence, not a number in base 12: a based number has a digit, or is capital letters in a base over 10.
        let readsAsNumber = body.contains(where: isDigit)
            || (body.count >= 2 && base > 10 && body.allSatisfy { isDigit($0) || ($0.isASCII && $0.isUppercase) })
        guard !body.isEmpty, readsAsNumber, values.allSatisfy({ $0 != nil && $0! < base }) else { return nil }
        var candidates: [(position: Int, value: Int)] = []
        for position in 0..<min(3, values.count) {
            for value in 0..<base where value != values[position]! && !(position == 0 && values.count > 1 && value == 0) {
                candidates.append((position, value))
            }
        }
        guard !candidates.isEmpty else { return nil }
        let (position, value) = candidates[rng.below(candidates.count)]
        let lowercase = body.contains { $0.isASCII && $0.isLowercase }
        var characters = Array(body)
        characters[position] = Self.digit(value, lowercase: lowercase)
        return prefix + String(characters) + suffix + text[underscore...]
    }

    /// `1.5e3`, `1.5 \times 10^{8}`, `3\cdot10^{-4}` → the mantissa moved as an integer or decimal, the power of ten kept.
    static func scientific(_ text: String, rng: inout SplitMix64) -> String? {
        let mantissaEnd: String.Index
        if !text.contains("\\"), let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            var exponent = text[text.index(after: e)...]
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy(isDigit) else { return nil }
            mantissaEnd = e
        } else {
            guard let times = text.firstRange(of: "\\times") ?? text.firstRange(of: "\\cdot") else { return nil }
            let power = text[times.upperBound...].drop { $0 == " " }
            guard power.hasPrefix("10^") else { return nil }
            var exponent = power.dropFirst(3)
            if exponent.hasPrefix("{"), exponent.hasSuffix("}") { exponent = exponent.dropFirst().dropLast() }
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy(isDigit) else { return nil }
            mantissaEnd = times.lowerBound
        }
        let mantissa = String(text[..<mantissaEnd].drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        guard mantissa.first != "+" else { return nil }
        let moved: String
        if let value = Int(mantissa) {
            moved = String(numerator(value, rng: &rng))
        } else if let decimal = decimal(mantissa, rng: &rng) {
            moved = decimal
        } else {
            return nil
        }
        let gap = text[..<mantissaEnd].reversed().prefix { $0 == " " }
        return moved + String(gap) + text[mantissaEnd...]
    }

    /// Whether `character` is one of 0–9 (`isNumber` also takes "½" and "٣").
    static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isWholeNumber
    }

    private static func letterValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue, character.isLetter else { return nil }
        return Int(ascii | 0x20) - Int(Character("a").asciiValue!) + 10
    }

    private static func digit(_ value: Int, lowercase: Bool) -> Character {
        if value < 10 { return Character(String(value)) }
        let letter = Character(UnicodeScalar(UInt8(value - 10) + (lowercase ? 0x61 : 0x41)))
        return letter
    }
}
