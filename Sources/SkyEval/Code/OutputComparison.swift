public import SkyCore

/// How program output is judged against the expected output, as TACO and LiveCodeBench do.
public enum OutputComparison {
    /// Absolute and relative tolerance for numeric tokens: |a − b| ≤ 1e-6 + 1e-6 · |b|.
    public static let tolerance = 1e-6

    /// Equal after whitespace normalisation (trailing spaces per line, blank lines at the end), or token by token
    /// with numbers compared within `tolerance`.
    public static func stdoutMatches(expected: String, actual: String) -> Bool {
        if normalizedLines(expected) == normalizedLines(actual) { return true }
        let want = expected.split(whereSeparator: \.isWhitespace)
        let got = actual.split(whereSeparator: \.isWhitespace)
        guard want.count == got.count else { return false }
        return zip(want, got).allSatisfy { tokenMatches(expected: $0, actual: $1) }
    }

    static func normalizedLines(_ text: String) -> [Substring] {
        var lines: [Substring] = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var end = line.endIndex
            while end > line.startIndex, line[line.index(before: end)].isWhitespace { end = line.index(before: end) }
            return line[..<end]
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        return lines
    }

    static func tokenMatches(expected: Substring, actual: Substring) -> Bool {
        if expected == actual { return true }
        guard let want = Double(expected), let got = Double(actual), want.isFinite, got.isFinite else { return false }
        return abs(want - got) <= tolerance + tolerance * abs(want)
    }

    /// JSON equality with numbers within `tolerance` (a function returning 2.0000001 for 2 passes).
    public static func jsonMatches(expected: JSONValue, actual: JSONValue) -> Bool {
        switch (expected, actual) {
        case let (.number(want), .number(got)): return want == got || abs(want - got) <= tolerance + tolerance * abs(want)
        case let (.array(want), .array(got)):
            return want.count == got.count && zip(want, got).allSatisfy { jsonMatches(expected: $0, actual: $1) }
        case let (.object(want), .object(got)):
            return Set(want.keys) == Set(got.keys) && want.allSatisfy { key, value in jsonMatches(expected: value, actual: got[key]!) }
        default: return expected == actual
        }
    }
}
