import Foundation

/// Splits a SQL script into statements, as psql would: semicolons inside quotes, quoted identifiers,
/// dollar-quoted bodies and comments do not end a statement.
///
/// PostgresNIO speaks only the extended query protocol, which takes one statement at a time.
enum SQLScript {
    /// The script's statements, trimmed, without their terminating semicolons; comment-only pieces are dropped.
    static func statements(_ script: String) -> [String] {
        let chars = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var i = 0

        func flush() {
            let text = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode, !text.isEmpty { statements.append(text) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func copy(until end: Int) {
            while i < end { current.append(chars[i]); i += 1 }
        }

        while i < chars.count {
            let c = chars[i]
            let next = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "-" where next == "-":
                var end = i
                while end < chars.count, chars[end] != "\n" { end += 1 }
                copy(until: end)
            case "/" where next == "*":
                // Block comments nest in PostgreSQL.
                var depth = 0
                var end = i
                repeat {
                    if end + 1 < chars.count, chars[end] == "/", chars[end + 1] == "*" { depth += 1; end += 2 }
                    else if end + 1 < chars.count, chars[end] == "*", chars[end + 1] == "/" { depth -= 1; end += 2 }
                    else { end += 1 }
                } while depth > 0 && end < chars.count
                copy(until: end)
            case "'", "\"":
                hasCode = true
                var end = i + 1
                while end < chars.count {
                    if chars[end] == c {
                        // A doubled quote is an escaped quote, not the end.
                        if end + 1 < chars.count, chars[end + 1] == c { end += 2; continue }
                        end += 1
                        break
                    }
                    end += 1
                }
                copy(until: end)
            case "$":
                hasCode = true
                if let tag = dollarTag(chars, at: i) {
                    var end = i + tag.count
                    while end < chars.count, !matches(chars, tag, at: end) { end += 1 }
                    copy(until: min(chars.count, end + tag.count))
                } else {
                    copy(until: i + 1)
                }
            case ";":
                i += 1
                flush()
            default:
                if !c.properties.isWhitespace { hasCode = true }
                copy(until: i + 1)
            }
        }
        flush()
        return statements
    }

    /// The `$tag$` opening at `start`, if one does (`$1` parameters are not tags).
    private static func dollarTag(_ chars: [Unicode.Scalar], at start: Int) -> [Unicode.Scalar]? {
        var end = start + 1
        while end < chars.count, chars[end] == "_" || chars[end].properties.isAlphabetic || (end > start + 1 && ("0"..."9").contains(chars[end])) {
            end += 1
        }
        guard end < chars.count, chars[end] == "$" else { return nil }
        return Array(chars[start...end])
    }

    private static func matches(_ chars: [Unicode.Scalar], _ tag: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        for (offset, scalar) in tag.enumerated() where chars[index + offset] != scalar { return false }
        return true
    }
}
