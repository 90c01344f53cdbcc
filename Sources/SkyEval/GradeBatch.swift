import Foundation

/// The JSONL interface: `{"gold": …, "pred": …}` per line in (`"bare": true` when pred is a bare answer, to be read
/// whole rather than searched for a final answer), one verdict object per line out.
public enum GradeBatch {
    /// One output line: the fields `skyctl grade --jsonl` promises, plus the reason.
    public struct Line: Codable, Equatable, Sendable {
        /// Whether the prediction was graded correct.
        public var correct: Bool
        /// The normalised gold answer.
        public var gold: String
        /// The extracted and normalised prediction.
        public var pred: String
        /// Why, or what was wrong with the input line.
        public var reason: String
    }

    /// Grades one input line; nil for a blank line. A malformed line yields an incorrect verdict with the reason.
    public static func grade(line: String, limits: GradingLimits = .standard) -> Line? {
        guard !line.trimmingASCIIWhitespace().isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return Line(correct: false, gold: "", pred: "", reason: "line is not a JSON object")
        }
        // Benchmarks store AIME answers as numbers; predictions may be named after the tool that wrote them.
        guard let gold = text(object["gold"] ?? object["answer"]) else {
            return Line(correct: false, gold: "", pred: "", reason: "line has no \"gold\" string or number")
        }
        guard let pred = text(object["pred"] ?? object["prediction"] ?? object["output"]) else {
            return Line(correct: false, gold: gold, pred: "", reason: "line has no \"pred\" string or number")
        }
        let verdict = object["bare"] as? Bool == true
            ? Grader.grade(gold: gold, answer: pred, limits: limits)
            : Grader.grade(gold: gold, prediction: pred, limits: limits)
        return Line(correct: verdict.correct, gold: verdict.gold, pred: verdict.pred, reason: verdict.reason)
    }

    /// The line as compact JSON with sorted keys, so outputs diff cleanly.
    public static func encode(_ line: Line) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self)
    }

    /// Grades every line of `jsonl`, returning one JSON verdict per non-blank input line.
    public static func grade(jsonl: String, limits: GradingLimits = .standard) -> [String] {
        jsonl.split(separator: "\n", omittingEmptySubsequences: true).compactMap { grade(line: String($0), limits: limits).map(encode) }
    }

    static func text(_ value: Any?) -> String? {
        switch value {
        case let string as String: return string
        case let number as NSNumber:
            let double = number.doubleValue
            return double == double.rounded() && abs(double) < 1e15 ? String(Int64(double)) : "\(double)"
        default: return nil
        }
    }
}
