/// Wrong answers (paper §4): for a fraction r of samples (exactly round(r·N), see `SampleSelection`) the
/// final answer is made wrong.
///
/// Generated mode: the last `\boxed{…}` answer gets a different value of the same type (see `WrongValue`);
/// every `\boxed{…}` holding it in the Solution, its last plain mention in the Solution and its last
/// mention in the Thought are replaced, so the trace stays consistent with the wrong answer. An answer no rule
/// can change (a name, a matrix of letters) leaves the sample as it is, counted as `unchangedNoWrongAnswer` and
/// `unchanged<Kind>Answers` (see `WrongValue.residueKind`), so the statistics never pass it off as changed.
/// Substitute mode: the assistant turn is replaced by a provided wrong sample for the same question.
public struct WrongAnswer: Perturbation {
    public let name = "wrong_answer"
    private let selection: SampleSelection
    private let substitutes: [String: String]?

    /// Creates the perturbation for the samples in `selection`; `substitutes` maps `QuestionKey` keys to wrong assistant turns.
    public init(selection: SampleSelection, substitutes: [String: String]? = nil) {
        self.selection = selection
        self.substitutes = substitutes
    }

    public var ratio: Double { selection.ratio }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        guard let response = record.response, selection.contains(index) else { return SampleEffect(counters: ["samplesSelected": 0]) }
        if let substitutes {
            guard let question = record.question, let wrong = substitutes[QuestionKey.key(question)] else {
                return SampleEffect(counters: ["samplesSelected": 1, "noSubstitute": 1])
            }
            record.response = wrong
            return SampleEffect(changed: wrong != response, counters: ["samplesSelected": 1, "substituted": 1])
        }
        var trace = ReasoningTrace(parsing: response)
        let inSolution = trace.solution.map { !BoxedAnswer.contents(in: Array($0.utf8)).isEmpty } ?? false
        let answerText = inSolution ? trace.solution! : trace.thought
        guard let old = BoxedAnswer.last(in: answerText) else {
            return SampleEffect(counters: ["samplesSelected": 1, "noBoxedAnswer": 1])
        }
        guard let (kind, new) = WrongValue.make(for: old, rng: &rng) else {
            let residue = WrongValue.residueKind(of: old)
            return SampleEffect(counters: [
                "samplesSelected": 1, "unchangedNoWrongAnswer": 1, PerturbationStatistics.unchangedKindCounter(residue): 1,
            ])
        }
        let oldBytes = Array(old.utf8)
        let newBytes = Array(new.utf8)
        // Letters and symbols also occur inside larger formulas ("\pi" in "2\pi", "x" in "x^2"): only numbers keep the looser match.
        let strict = !Self.numericKinds.contains(kind)
        var mentions = 0
        if inSolution {
            var solution = Self.replacingBoxed(oldBytes, with: newBytes, in: Array(trace.solution!.utf8), count: &mentions)
            if let last = Self.lastMention(oldBytes, replacedBy: newBytes, in: solution, strict: strict) {
                solution.replaceSubrange(last, with: newBytes)
                mentions += 1
            }
            trace.solution = String(decoding: solution, as: UTF8.self)
        }
        var thought = Array(trace.thought.utf8)
        if !inSolution { thought = Self.replacingBoxed(oldBytes, with: newBytes, in: thought, count: &mentions) }
        if let last = Self.lastMention(oldBytes, replacedBy: newBytes, in: thought, strict: strict) {
            thought.replaceSubrange(last, with: newBytes)
            mentions += 1
        }
        trace.thought = String(decoding: thought, as: UTF8.self)
        record.response = trace.rendered
        return SampleEffect(changed: true, counters: ["samplesSelected": 1, "answersChanged": 1, "mentionsReplaced": mentions, "\(kind)Answers": 1])
    }

    /// The kinds whose mentions are matched as `NumberScanner` matches numbers, as they always were.
    private static let numericKinds: Set<String> = ["integer", "decimal", "fraction", "expression", "scientific"]

    /// The last mention of `old` outside the boxes that already hold `new`: a new answer that contains the old one
    /// (`-(|a - b|)` for `|a - b|`) must not be found inside the box it was just written to.
    private static func lastMention(_ old: [UInt8], replacedBy new: [UInt8], in bytes: [UInt8], strict: Bool) -> Range<Int>? {
        var masked = bytes
        for range in BoxedAnswer.contents(in: bytes) where bytes[range].elementsEqual(new) {
            masked.replaceSubrange(range, with: repeatElement(0x01, count: range.count))
        }
        return BoxedAnswer.lastStandalone(old, in: masked, strict: strict)
    }

    /// `bytes` with the content of every `\boxed{…}` equal to `old` replaced by `new`.
    private static func replacingBoxed(_ old: [UInt8], with new: [UInt8], in bytes: [UInt8], count: inout Int) -> [UInt8] {
        var result = bytes
        for range in BoxedAnswer.contents(in: bytes).reversed() where bytes[range].elementsEqual(old) {
            result.replaceSubrange(range, with: new)
            count += 1
        }
        return result
    }
}
