import Foundation

/// Finds the final answer in a model's output, in the order graders agree on: the last `\boxed{…}`
/// (or `\fbox{…}`, or `\boxed 5`), then "the answer is …", then the last LaTeX math span, then the last number.
public enum AnswerExtractor {
    /// How an answer was found, reported in verdicts so a surprising grade can be traced.
    public enum Method: String, Sendable, Codable {
        case boxed, answerIs = "answer is", mathSpan = "math span", lastNumber = "last number"
        /// The prediction was handed over as a bare answer and read whole (`Grader.grade(gold:answer:)`).
        case given = "answer given"
    }

    /// The extracted answer and how it was found; nil when the output holds no answer at all.
    public static func extract(from output: String) -> (answer: String, method: Method)? {
        let text = LatexText(output)
        if let boxed = lastBoxed(in: text) { return (boxed, .boxed) }
        if let stated = answerIs(in: output) { return (stated, .answerIs) }
        if let span = lastMathSpan(in: text) { return (span, .mathSpan) }
        if let number = lastNumber(in: text) { return (number, .lastNumber) }
        return nil
    }

    /// A gold answer: its boxed content when it has one, otherwise the whole text without math delimiters.
    public static func gold(_ answer: String) -> String {
        let text = LatexText(answer)
        if let boxed = lastBoxed(in: text) { return boxed }
        return answer.trimmingASCIIWhitespace()
    }

    /// Unbalanced candidates are skipped, but only a few: each attempt scans to the end of the text.
    static let maxBoxedAttempts = 8

    static func lastBoxed(in text: LatexText) -> String? {
        let commands = ["\\boxed".scalarArray, "\\fbox".scalarArray]
        var end = text.count
        for _ in 0..<maxBoxedAttempts {
            let candidates = commands.compactMap { command in text.lastIndex(of: command, before: end).map { ($0, command.count) } }
            guard let (start, length) = candidates.max(by: { $0.0 < $1.0 }) else { return nil }
            end = start
            var index = start + length
            if text.isLetter(at: index) { continue }  // \boxedsomething is another command
            let hadSpace = index < text.count && text[index] == " "
            while index < text.count, text[index] == " " { index += 1 }
            guard index < text.count else { continue }
            if text[index] == "{" {
                guard let close = text.closingBrace(from: index) else { continue }
                let content = text.string(index + 1..<close).trimmingASCIIWhitespace()
                if !content.isEmpty { return content }
            } else if hadSpace {
                var stop = index
                while stop < text.count, !" \n\t$".unicodeScalars.contains(text[stop]) { stop += 1 }
                return text.string(index..<stop)
            }
        }
        return nil
    }

    static func answerIs(in output: String) -> String? {
        guard let phrase = output.range(of: "the answer is", options: [.caseInsensitive, .backwards]) else { return nil }
        var rest = Substring(output[phrase.upperBound...]).drop { $0 == " " || $0 == ":" }
        if let newline = rest.firstIndex(of: "\n") { rest = rest[..<newline] }
        let text = LatexText(rest)
        if let span = firstMathSpan(in: text) { return span }
        if let sentenceEnd = rest.range(of: ". ") { rest = rest[..<sentenceEnd.lowerBound] }
        let answer = String(rest).trimmingASCIIWhitespace().trimmingSuffix(".")
        return answer.isEmpty ? nil : answer
    }

    static func lastMathSpan(in text: LatexText) -> String? { mathSpans(in: text, stopAtFirst: false) }

    static func firstMathSpan(in text: LatexText) -> String? { mathSpans(in: text, stopAtFirst: true) }

    /// One forward pass pairing `$…$`, `$$…$$`, `\(…\)` and `\[…\]`; returns the first or last closed span.
    private static func mathSpans(in text: LatexText, stopAtFirst: Bool) -> String? {
        var open: (start: Int, closer: String)?
        var last: String?
        var index = 0
        while index < text.count {
            let scalar = text[index]
            var delimiter: String?
            if scalar == "\\", index + 1 < text.count {
                let next = text[index + 1]
                if "()[]".unicodeScalars.contains(next) { delimiter = "\\" + String(next) }
                else { index += 2; continue }  // \$ and other escapes are text
            } else if scalar == "$" {
                delimiter = index + 1 < text.count && text[index + 1] == "$" ? "$$" : "$"
            }
            guard let delimiter else { index += 1; continue }
            let width = delimiter.unicodeScalars.count
            if let current = open {
                if delimiter == current.closer {
                    let content = text.string(current.start..<index).trimmingASCIIWhitespace()
                    if !content.isEmpty {
                        if stopAtFirst { return content }
                        last = content
                    }
                    open = nil
                }
            } else if let closer = ["$": "$", "$$": "$$", "\\(": "\\)", "\\[": "\\]"][delimiter] {
                open = (index + width, closer)
            }
            index += width
        }
        return last
    }

    static func lastNumber(in text: LatexText) -> String? {
        var end = text.count - 1
        while end >= 0, !text[end].isASCIIDigit { end -= 1 }
        guard end >= 0 else { return nil }
        var start = end
        while start > 0 {
            let previous = text[start - 1]
            if previous.isASCIIDigit { start -= 1; continue }
            // A separator counts only between digits: "1,000.5" but not "so, 5" or "end. 5".
            if previous == "." || previous == ",", start >= 2, text[start - 2].isASCIIDigit { start -= 1; continue }
            break
        }
        if start > 0, text[start - 1] == "-" { start -= 1 }
        return text.string(start..<end + 1)
    }
}

extension Unicode.Scalar {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and newlines.
    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The text with one trailing `suffix` removed, if present.
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
