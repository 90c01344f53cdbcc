public import SkyModel

/// The sequences of a dataset and what encoding did to its records.
public struct EncodedDataset: Sendable {
    /// Sequences in record order.
    public private(set) var sequences: [TrainingSequence] = []
    /// Records read.
    public var records: Int { skips.records }
    /// Records cut to the maximum length.
    public private(set) var truncated = 0
    /// Which records were skipped, why, and the lengths behind it.
    public private(set) var skips = SkippedRecords()
    /// Records skipped, by reason.
    public var skipped: [SequenceEncoder.Skip: Int] { skips.reasons.mapValues(\.count) }

    /// How many records were read, truncated and skipped.
    public struct Counts: Sendable, Equatable {
        /// Records cut to the maximum length.
        public var truncated: Int
        /// Which records were skipped, why, and the lengths behind it: a warning's text when training goes on.
        public var skips: SkippedRecords
        /// Records read.
        public var records: Int { skips.records }
        /// Records skipped, by reason.
        public var skipped: [SequenceEncoder.Skip: Int] { skips.reasons.mapValues(\.count) }
    }

    /// The counts, without the sequences.
    public var counts: Counts { Counts(truncated: truncated, skips: skips) }

    /// An empty dataset.
    public init() {}

    /// Encodes `messages` with `encoder` and keeps the result.
    public mutating func append(_ messages: [ChatMessage], encoder: SequenceEncoder) {
        skips.records += 1
        switch encoder.encodeOrExplain(messages) {
        case .success(let encoded):
            sequences.append(encoded.sequence)
            if encoded.truncated { truncated += 1 }
        case .failure(let skipped):
            skips.add(skipped)
        }
    }

    /// Throws, saying how many records were skipped for which reason, when no record became a sequence; a run
    /// needs at least one.
    public func requireSequences() throws(NoTrainingSequences) {
        if sequences.isEmpty { throw NoTrainingSequences(skipped: skips) }
    }

    /// Splits off `fraction` of the sequences (rounded, at least one when the fraction is above 0 and two or more
    /// remain) as a held-out set, chosen by `seed`; both parts keep record order.
    public func split(heldOut fraction: Double, seed: UInt64) -> (train: [TrainingSequence], heldOut: [TrainingSequence]) {
        guard fraction > 0, sequences.count >= 2 else { return (sequences, []) }
        let count = min(sequences.count - 1, max(1, Int((Double(sequences.count) * fraction).rounded())))
        var order = Array(sequences.indices)
        SeededShuffle.shuffle(&order, seed: seed, stream: SeededShuffle.heldOutStream)
        let held = Set(order.prefix(count))
        var train: [TrainingSequence] = [], heldOut: [TrainingSequence] = []
        for (i, sequence) in sequences.enumerated() {
            if held.contains(i) { heldOut.append(sequence) } else { train.append(sequence) }
        }
        return (train, heldOut)
    }
}
