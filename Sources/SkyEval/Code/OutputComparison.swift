
/// How program output is judged against the expected output, as TACO and LiveCodeBench do. (Functional results are
/// compared in Python by the harness, with the same tolerance, so integers stay exact.)
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
}
