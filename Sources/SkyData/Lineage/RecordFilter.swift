import SkyCore

/// Drops records before perturbation: those marked incorrect, and repeats of a question already seen.
public struct RecordFilter {
    /// Why a record was dropped.
    public enum Verdict: Sendable, Hashable { case keep, incorrect, duplicate }

    private let correctnessField: String?
    private let dedupe: Bool
    private var seen = Set<String>()

    /// Creates a filter; `correctnessField` nil keeps every record regardless of correctness.
    public init(correctnessField: String?, dedupe: Bool) {
        self.correctnessField = correctnessField
        self.dedupe = dedupe
    }

    /// Decides one record; a kept record's question counts as seen.
    public mutating func check(_ record: DatasetRecord) -> Verdict {
        if let correctnessField, let flag = record.extra[correctnessField], !Self.isTrue(flag) {
            return .incorrect
        }
        if dedupe, let question = record.question, !seen.insert(QuestionKey.key(question)).inserted {
            return .duplicate
        }
        return .keep
    }

    /// `true`, a nonzero number, or "true"/"correct"/"yes"/"1" count as correct; everything else does not.
    static func isTrue(_ value: JSONValue) -> Bool {
        switch value {
        case .bool(let flag): flag
        case .number(let number): number != 0
        case .string(let text): ["true", "correct", "yes", "1"].contains(text.lowercased())
        case .null, .array, .object: false
        }
    }
}
