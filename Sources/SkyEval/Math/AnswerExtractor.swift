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
        if let (span, end) = mathSpans(in: text, stopAtFirst: false) {
            // "The volume of $ABCDEFGH$ is 120.": a number after the last span is the answer the sentence ends in.
            if let (number, start) = lastNumberWithStart(in: text), start > end { return (number, .lastNumber) }
            return (span, .mathSpan)
        }
        if let number = lastNumber(in: text) { return (number, .lastNumber) }
        return nil
    }

    /// A gold answer: its boxed content when it has one (all of a closing run of boxes, as a list: "\\boxed{1} and
    /// \\boxed{2}"), otherwise the whole text without math delimiters.
    public static func gold(_ answer: String) -> String {
        let text = LatexText(answer)
        guard let last = lastBoxed(in: text) else {
            // A gold that is a whole worked solution without a box (longer than any answer) is read as an output.
            if text.count > GradingLimits.standard.maxAnswerLength, let (found, method) = extract(from: answer),
               method == .answerIs || method == .mathSpan {
                return found
            }
            return answer.trimmingASCIIWhitespace()
        }
        return boxedList(in: text, endingWith: last) ?? last
    }

    /// The run of boxes that ends in the answer `last` as one list, when there are several.
    static func boxedList(in text: LatexText, endingWith last: String) -> String? {
        let boxes = boxedRun(in: text)
        return boxes.count > 1 && boxes.last == last ? boxes.joined(separator: ", ") : nil
    }

    /// Most boxes read as one list answer.
    static let maxBoxedRun = 16

    /// The contents of the last `\\boxed{}` and of the boxes before it that only connecting words separate
    /// ("\\boxed{1}, \\boxed{2}", "\\boxed{(2,2)} \\quad \\text{and} \\quad \\boxed{(6,2)}"), first to last; empty when there is none.
    static func boxedRun(in text: LatexText) -> [String] {
        let command = "\\boxed{".scalarArray
        var boxes: [String] = []
        var end = text.count
        var nextStart: Int?
        // An earlier box in the run closes at most 61 characters before the next one opens, so the search for it stops
        // one answer's length further back instead of scanning the whole output.
        while boxes.count < maxBoxedRun,
              let start = text.lastIndex(of: command, before: end, notBefore: nextStart == nil ? 0 : end - 62 - GradingLimits.standard.maxAnswerLength),
              let close = text.closingBrace(from: start + command.count - 1) {
            if let next = nextStart, !(close < next && next - close <= 61 && isConnective(text.string(close + 1..<next))) { break }
            let content = text.string(start + command.count..<close).trimmingASCIIWhitespace()
            guard !content.isEmpty else { break }
            boxes.insert(content, at: 0)
            nextStart = start
            end = start
        }
        return boxes
    }

    /// Text between two boxed answers that joins them into one answer: delimiters, spacing, punctuation, "and", "or",
    /// and at most three other words ("for part (a) and"); a sentence between them makes them separate answers.
    static func isConnective(_ between: String) -> Bool {
        guard between.unicodeScalars.count <= 60 else { return false }
        var text = between
        for noise in ["\\text{", "\\textnormal{", "\\mbox{", "\\quad", "\\qquad", "\\(", "\\)", "\\[", "\\]", "\\,", "\\;", "\\ "] {
            text = text.replacingAll(noise, with: " ")
        }
        let words = text.split { !($0.isLetter || $0.isNumber) }.filter { $0 != "and" && $0 != "or" }
        return words.count <= 3
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
        let phrases = ["the answer is", "final answer is"].compactMap { output.range(of: $0, options: [.caseInsensitive, .backwards]) }
        guard let phrase = phrases.max(by: { $0.lowerBound < $1.lowerBound }) else { return nil }
        var rest = Substring(output[phrase.upperBound...]).drop { $0 == " " || $0 == ":" }
        if let newline = rest.firstIndex(of: "\n") { rest = rest[..<newline] }
        let text = LatexText(rest)
        if let span = firstMathSpan(in: text) { return span }
        if let sentenceEnd = rest.range(of: ". ") { rest = rest[..<sentenceEnd.lowerBound] }
        let answer = String(rest).trimmingASCIIWhitespace().trimmingSuffix(".")
        return answer.isEmpty ? nil : answer
    }

    static func lastMathSpan(in text: LatexText) -> String? { mathSpans(in: text, stopAtFirst: false)?.content }

    static func firstMathSpan(in text: LatexText) -> String? { mathSpans(in: text, stopAtFirst: true)?.content }

    /// One forward pass pairing `$…$`, `$$…$$`, `\(…\)` and `\[…\]`; returns the first or last closed span and where
    /// it ends. Inline math (`$…$`, `\(…\)`) stays on one line, so a line break ends an unclosed one.
    private static func mathSpans(in text: LatexText, stopAtFirst: Bool) -> (content: String, end: Int)? {
        var open: (start: Int, closer: String)?
        var last: (content: String, end: Int)?
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
            if scalar == "\n", let current = open, current.closer == "$" || current.closer == "\\)" { open = nil }
            guard let delimiter else { index += 1; continue }
            let width = delimiter.unicodeScalars.count
            if let current = open {
                if delimiter == current.closer {
                    let content = text.string(current.start..<index).trimmingASCIIWhitespace()
                    if !content.isEmpty {
                        if stopAtFirst { return (content, index) }
                        last = (content, index)
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

    static func lastNumber(in text: LatexText) -> String? { lastNumberWithStart(in: text)?.number }

    /// The last number and the index where it starts.
    static func lastNumberWithStart(in text: LatexText) -> (number: String, start: Int)? {
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
        // "2/3" at the end of a sentence is one number, not the 3.
        if start >= 2, text[start - 1] == "/", text[start - 2].isASCIIDigit {
            start -= 1
            while start > 0, text[start - 1].isASCIIDigit { start -= 1 }
        }
        if start > 0, text[start - 1] == "-" { start -= 1 }
        return (text.string(start..<end + 1), start)
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
