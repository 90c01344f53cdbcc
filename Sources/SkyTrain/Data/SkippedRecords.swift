/// Which records encoding skipped and why: per reason how many, and the span of the lengths that decided it, so
/// that a caller can say what to change instead of only that something was skipped.
///
/// The explanations name the train spec's fields (`sequences.maxLength`, `truncation: left`): they are what a
/// user edits to fix them.
public struct SkippedRecords: Sendable, Equatable, CustomStringConvertible {
    /// The records skipped for one reason.
    public struct Tally: Sendable, Equatable {
        /// Records skipped for it.
        public var count: Int
        /// Fewest and most tokens of the part that did not fit (`SequenceEncoder.Skipped.tokens`).
        public var tokens: ClosedRange<Int>
        /// The encoder's `maxLength`.
        public var maxLength: Int

        /// A tally.
        public init(count: Int, tokens: ClosedRange<Int>, maxLength: Int) {
            self.count = count
            self.tokens = tokens
            self.maxLength = maxLength
        }
    }

    /// Records read, skipped or not.
    public internal(set) var records = 0
    /// The tallies by reason.
    public private(set) var reasons: [SequenceEncoder.Skip: Tally] = [:]

    /// Nothing read, nothing skipped.
    public init() {}

    /// Records skipped for any reason.
    public var count: Int { reasons.values.reduce(0) { $0 + $1.count } }

    /// Counts one more skipped record.
    mutating func add(_ skipped: SequenceEncoder.Skipped) {
        guard var tally = reasons[skipped.reason] else {
            reasons[skipped.reason] = Tally(count: 1, tokens: skipped.tokens...skipped.tokens, maxLength: skipped.maxLength)
            return
        }
        tally.count += 1
        tally.tokens = min(tally.tokens.lowerBound, skipped.tokens)...max(tally.tokens.upperBound, skipped.tokens)
        tally.maxLength = skipped.maxLength
        reasons[skipped.reason] = tally
    }

    /// One explanation per reason, most records first: "N of M records: what happened; what to change".
    public var explanations: [String] {
        let order = SequenceEncoder.Skip.allCases
        return reasons.sorted { a, b in
            a.value.count != b.value.count ? a.value.count > b.value.count : order.firstIndex(of: a.key)! < order.firstIndex(of: b.key)!
        }.map { "\($0.value.count) of \(records) records: " + Self.explain($0.key, $0.value) }
    }

    /// "skipped N of M records: …" for each reason, for a warning when training goes on without them.
    public var description: String {
        reasons.isEmpty ? "no record skipped" : explanations.map { "skipped " + $0 }.joined(separator: ". ")
    }

    /// What happened to the records of `tally` and what to change in the spec.
    private static func explain(_ reason: SequenceEncoder.Skip, _ tally: Tally) -> String {
        let tokens = tally.tokens.lowerBound == tally.tokens.upperBound ? "\(tally.tokens.lowerBound)" : "\(tally.tokens.lowerBound)–\(tally.tokens.upperBound)"
        let maxLength = tally.maxLength
        switch reason {
        case .tooLong:
            return "the conversation is \(tokens) tokens, more than maxLength \(maxLength), and truncation: drop skips it; "
                + "raise sequences.maxLength or use truncation: right or left"
        case .promptTooLong:
            // The prompt can be exactly maxLength tokens: then no room is left either, and "more than" would be wrong.
            let than = tally.tokens.lowerBound > maxLength ? "more than" : tally.tokens.upperBound == maxLength ? "as long as" : "at least"
            return "the prompt alone is \(tokens) tokens, \(than) maxLength \(maxLength), so no assistant token is left to learn; "
                + "raise sequences.maxLength or use truncation: left"
        case .tailTooLong:
            return "the turns after the last assistant reply are \(tokens) tokens, so with maxLength \(maxLength) truncation: left "
                + "keeps no assistant token; raise sequences.maxLength or use truncation: right"
        case .noLabels:
            return "no token carries loss (no assistant reply); give every record an assistant turn or set sequences.lossOn: all"
        }
    }
}

/// No record became a training sequence: the dataset is empty, or every record was skipped (`skipped` says why).
public struct NoTrainingSequences: Error, Sendable, Equatable, CustomStringConvertible {
    /// What encoding skipped.
    public let skipped: SkippedRecords

    /// The error for a dataset that encoded to nothing.
    public init(skipped: SkippedRecords) {
        self.skipped = skipped
    }

    public var description: String {
        skipped.records == 0 ? "no training sequences: the dataset has no records"
            : "no training sequences: " + skipped.explanations.joined(separator: ". ")
    }
}
