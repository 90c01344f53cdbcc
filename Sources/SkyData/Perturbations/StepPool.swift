/// Donor steps for `insert`: a uniform sample of Thought steps from the whole dataset, each with its record.
///
/// Built in a first pass with reservoir sampling (Vitter's Algorithm R) driven by SplitMix64, so the
/// pool is the same for the same input and seed and its size is bounded whatever the dataset size.
public final class StepPool: Sendable {
    /// One donor step.
    public struct Donor: Sendable, Hashable {
        /// The record it came from.
        public var recordIndex: Int
        /// The step's text.
        public var text: String
    }

    /// The sampled steps.
    public let donors: [Donor]

    /// Creates a pool from donors (tests and in-memory use).
    public init(donors: [Donor]) {
        self.donors = donors
    }

    /// Accumulates a pool while records stream past.
    public struct Builder {
        private var donors: [Donor] = []
        private var seen = 0
        private let capacity: Int
        private var rng: SplitMix64
        private let segmenter: any StepSegmenter

        /// Creates a builder keeping at most `capacity` steps.
        public init(seed: UInt64, capacity: Int = 20_000, segmenter: any StepSegmenter) {
            self.capacity = max(1, capacity)
            self.rng = SplitMix64(seed: seed, stream: 0x706F_6F6C, item: 0)
            self.segmenter = segmenter
        }

        /// Offers every Thought step of one record.
        public mutating func add(_ record: DatasetRecord, index: Int) {
            guard let response = record.response else { return }
            for step in segmenter.segment(ReasoningTrace(parsing: response).thought).steps {
                if donors.count < capacity {
                    donors.append(Donor(recordIndex: index, text: step))
                } else {
                    let slot = rng.below(seen + 1)
                    if slot < capacity { donors[slot] = Donor(recordIndex: index, text: step) }
                }
                seen += 1
            }
        }

        /// The finished pool.
        public func build() -> StepPool { StepPool(donors: donors) }
    }

    /// A step from a record other than `recordIndex`, of length close to `length`: the closest of up to
    /// `tries` uniform draws. Nil when no draw came from another record.
    func draw(excluding recordIndex: Int, near length: Int, tries: Int = 4, rng: inout SplitMix64) -> Donor? {
        guard !donors.isEmpty else { return nil }
        var best: Donor?
        for _ in 0..<tries {
            let candidate = donors[rng.below(donors.count)]
            guard candidate.recordIndex != recordIndex else { continue }
            if let current = best, abs(current.text.utf8.count - length) <= abs(candidate.text.utf8.count - length) { continue }
            best = candidate
        }
        return best
    }
}
