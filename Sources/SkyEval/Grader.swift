/// The grade of one prediction against one gold answer.
public struct Verdict: Sendable, Equatable, Codable {
    /// Whether the prediction's final answer equals the gold answer.
    public var correct: Bool
    /// The answer found in the prediction before normalisation; nil when none was found.
    public var extracted: String?
    /// The gold answer, normalised.
    public var gold: String
    /// The extracted prediction, normalised.
    public var pred: String
    /// Why: how the answer was found and which rule matched, or what differed.
    public var reason: String
}

/// Math grading: extract, normalise, compare.
public enum Grader {
    /// Grades a prediction (a bare answer or a whole model output) against a gold answer.
    public static func grade(gold: String, prediction: String, limits: GradingLimits = .standard) -> Verdict {
        guard prediction.utf8.count <= limits.maxOutputLength * 4, prediction.count <= limits.maxOutputLength else {
            return Verdict(correct: false, extracted: nil, gold: gold, pred: "",
                           reason: "prediction longer than \(limits.maxOutputLength) characters")
        }
        let goldAnswer = AnswerExtractor.gold(gold)
        guard let (answer, method) = AnswerExtractor.extract(from: prediction) else {
            return Verdict(correct: false, extracted: nil, gold: AnswerNormalizer.normalize(goldAnswer, limits: limits).text,
                           pred: "", reason: "no answer found")
        }
        if method == .boxed, isList(goldAnswer, limits: limits), let list = AnswerExtractor.boxedList(in: LatexText(prediction), endingWith: answer) {
            return compare(goldAnswer: goldAnswer, answer: list, method: method, limits: limits)
        }
        return compare(goldAnswer: goldAnswer, answer: answer, method: method, limits: limits)
    }

    /// Several boxed answers in a row ("\\boxed{-2} and \\boxed{1}") are read as one list only against a gold that is a
    /// list: against a single gold answer the last box is the answer, as it always was.
    private static func isList(_ gold: String, limits: GradingLimits) -> Bool {
        // Only a gold with a separator, ± or a joining word can be a list; most golds skip the normalising.
        guard gold.unicodeScalars.count <= limits.maxAnswerLength,
              gold.unicodeScalars.contains(where: { $0 == "," || $0 == ";" }) || gold.containsScalars("\\pm")
                || gold.containsScalars("and") || gold.containsScalars("or"),
              case .unordered(let elements) = AnswerShape.of(AnswerNormalizer.normalize(gold, limits: limits).text) else { return false }
        return elements.count > 1
    }

    /// Grades a bare answer, as a person or another harness hands one over (`\frac{2}{4}`, `C`, a `pmatrix`): it is
    /// read whole, as a gold answer is (its `\boxed{}` content if it has one), never searched for a last number.
    public static func grade(gold: String, answer: String, limits: GradingLimits = .standard) -> Verdict {
        guard answer.utf8.count <= limits.maxOutputLength * 4, answer.count <= limits.maxOutputLength else {
            return Verdict(correct: false, extracted: nil, gold: gold, pred: "",
                           reason: "answer longer than \(limits.maxOutputLength) characters")
        }
        let text = LatexText(answer)
        let last = AnswerExtractor.lastBoxed(in: text)
        let given = last.flatMap { isList(AnswerExtractor.gold(gold), limits: limits) ? AnswerExtractor.boxedList(in: text, endingWith: $0) : nil }
            ?? last ?? answer.trimmingASCIIWhitespace()
        guard !given.isEmpty else {
            return Verdict(correct: false, extracted: nil, gold: AnswerNormalizer.normalize(AnswerExtractor.gold(gold), limits: limits).text,
                           pred: "", reason: "empty answer")
        }
        return compare(goldAnswer: AnswerExtractor.gold(gold), answer: given, method: .given, limits: limits)
    }

    /// Normalises both answers and decides their equivalence, the reason naming how the answer was found.
    private static func compare(goldAnswer: String, answer: String, method: AnswerExtractor.Method, limits: GradingLimits) -> Verdict {
        if answer.unicodeScalars.count > limits.maxAnswerLength || goldAnswer.unicodeScalars.count > limits.maxAnswerLength {
            let same = answer.trimmingASCIIWhitespace() == goldAnswer.trimmingASCIIWhitespace()
            return Verdict(correct: same, extracted: answer, gold: goldAnswer, pred: answer,
                           reason: "\(method.rawValue); answer over \(limits.maxAnswerLength) characters, compared as text")
        }
        let normalizedGold = AnswerNormalizer.normalize(goldAnswer, limits: limits)
        let normalizedPred = AnswerNormalizer.normalize(answer, limits: limits)
        let (equal, why) = MathEquivalence(limits: limits).compare(gold: normalizedGold, pred: normalizedPred)
        return Verdict(correct: equal, extracted: answer, gold: normalizedGold.text, pred: normalizedPred.text,
                       reason: "\(method.rawValue); \(why)")
    }
}
