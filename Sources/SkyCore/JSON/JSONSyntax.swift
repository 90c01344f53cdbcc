/// Finds where JSON text stops being valid, for error messages that say where (Foundation only says
/// that it is invalid). Checks syntax, and that `\u` escapes pair UTF-16 surrogates (text Foundation refuses without
/// saying why): it runs after a parser has already refused the text.
public enum JSONSyntax {
    /// The first syntax error: what is wrong, the byte offset, and the line and column (both from 1).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var offset: Int
        public var line: Int
        public var column: Int

        public var description: String { "\(message) at line \(line), column \(column) (byte \(offset))" }
    }

    /// The first error in `bytes` as one JSON document, or nil when it is valid.
    public static func firstError(in bytes: some Collection<UInt8>) -> Failure? {
        var parser = Parser(bytes: Array(bytes))
        return parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        mutating func document() -> Failure? {
            skipSpace()
            if let failure = value() { return failure }
            skipSpace()
            return index < bytes.count ? fail("unexpected '\(describe(bytes[index]))' after the end of the document") : nil
        }

        func fail(_ message: String) -> Failure {
            var line = 1, column = 1
            for byte in bytes[..<min(index, bytes.count)] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return Failure(message: message, offset: index, line: line, column: column)
        }

        /// The value of four hex digits; -1 when they are not.
        static func hexValue(_ digits: some Collection<UInt8>) -> Int {
            guard digits.count == 4, let value = Int(String(decoding: digits, as: UTF8.self), radix: 16) else { return -1 }
            return value
        }

        func describe(_ byte: UInt8) -> String {
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index += 1 }
        }

        mutating func value() -> Failure? {
            guard index < bytes.count else { return fail("unexpected end of input; expected a value") }
            depth += 1
            defer { depth -= 1 }
            if depth > 512 { return fail("nesting deeper than 512") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return object()
            case UInt8(ascii: "["): return array()
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
            default: return fail("unexpected '\(describe(bytes[index]))'; expected a value")
            }
        }

        mutating func object() -> Failure? {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    return fail(index < bytes.count ? "expected a quoted key" : "unexpected end of input inside an object")
                }
                if let failure = string() { return failure }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return fail("expected ':' after the key") }
                index += 1
                skipSpace()
                if let failure = value() { return failure }
                skipSpace()
                guard index < bytes.count else { return fail("unexpected end of input inside an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
                return fail("expected ',' or '}' in an object")
            }
        }

        mutating func array() -> Failure? {
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return nil }
            while true {
                skipSpace()
                if let failure = value() { return failure }
                skipSpace()
                guard index < bytes.count else { return fail("unexpected end of input inside an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return nil }
                return fail("expected ',' or ']' in an array")
            }
        }

        mutating func string() -> Failure? {
            index += 1
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""): index += 1; return nil
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { break }
                    let escape = bytes[index]
                    if escape == UInt8(ascii: "u") {
                        let hex = bytes[(index + 1)..<min(index + 5, bytes.count)]
                        guard hex.count == 4, hex.allSatisfy({ UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 | 0x20 }) else {
                            return fail("bad \\u escape; expected four hex digits")
                        }
                        // Valid JSON syntax, but not text: a UTF-16 surrogate must come as a high-low pair. The error
                        // points at the escape's backslash.
                        let unit = Self.hexValue(hex), backslash = index - 1
                        var end = index + 5
                        if (0xDC00...0xDFFF).contains(unit) {
                            index = backslash
                            return fail("a lone UTF-16 low surrogate \\u\(String(unit, radix: 16, uppercase: true)); a string must be valid Unicode")
                        }
                        if (0xD800...0xDBFF).contains(unit) {
                            let next = Array(bytes[min(end, bytes.count)..<min(end + 6, bytes.count)])
                            let low = next.count == 6 && next[0] == UInt8(ascii: "\\") && next[1] == UInt8(ascii: "u")
                                ? Self.hexValue(next[2...]) : -1
                            guard (0xDC00...0xDFFF).contains(low) else {
                                index = backslash
                                return fail("a lone UTF-16 high surrogate \\u\(String(unit, radix: 16, uppercase: true)) (not followed by a "
                                    + "low surrogate); a string must be valid Unicode")
                            }
                            end += 6
                        }
                        index = end
                    } else if Array("\"\\/bfnrt".utf8).contains(escape) {
                        index += 1
                    } else {
                        return fail("bad escape '\\\(describe(escape))'")
                    }
                case 0..<0x20:
                    return fail("control character in a string (escape it)")
                default:
                    index += 1
                }
            }
            return fail("unterminated string")
        }

        mutating func literal(_ word: String) -> Failure? {
            for expected in word.utf8 {
                guard index < bytes.count, bytes[index] == expected else { return fail("unexpected token; expected '\(word)'") }
                index += 1
            }
            return nil
        }

        mutating func number() -> Failure? {
            func digits() -> Int {
                let start = index
                while index < bytes.count, UInt8(ascii: "0")...UInt8(ascii: "9") ~= bytes[index] { index += 1 }
                return index - start
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let leadingZero = index < bytes.count && bytes[index] == UInt8(ascii: "0")
            let whole = digits()
            if whole == 0 { return fail("expected a digit") }
            if leadingZero, whole > 1 { return fail("numbers may not have leading zeros") }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                if digits() == 0 { return fail("expected a digit after '.'") }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                if digits() == 0 { return fail("expected a digit in the exponent") }
            }
            return nil
        }
    }
}
