/// Which samples a sample-level perturbation (remove_keywords, wrong_answer) changes: exactly round(r·N)
/// of the N eligible samples, the same ones for the same seed.
///
/// Every sample gets a rank key, a hash of (seed, perturbation position, sample index), and the round(r·N)
/// samples with the smallest keys are chosen. The pipeline's first pass collects only the keys, 8 bytes per
/// sample (0.1 MB for Sky-T1's 17k samples, 8 MB for a million short ones), never records, so a 300 MB input
/// is not held in memory; the second pass compares each sample's key with the cut-off. Selection sampling
/// (Knuth's Algorithm S) would need only N, but it makes each sample's fate depend on the draws of every
/// sample before it; with rank keys a sample's choice is a function of its own index and one cut-off.
public struct SampleSelection: Sendable {
    private enum Rule: Sendable {
        case all, none
        case keysUpTo(UInt64)
    }

    /// The fraction r the spec asked for.
    public let ratio: Double
    private let rule: Rule
    private let seed: UInt64
    private let stream: UInt64

    /// Every sample (r = 1).
    public static let all = SampleSelection(ratio: 1, rule: .all, seed: 0, stream: 0)
    /// No sample (r = 0).
    public static let none = SampleSelection(ratio: 0, rule: .none, seed: 0, stream: 0)

    private init(ratio: Double, rule: Rule, seed: UInt64, stream: UInt64) {
        self.ratio = ratio
        self.rule = rule
        self.seed = seed
        self.stream = stream
    }

    /// Exactly round(ratio · indices.count) of `indices` (half rounds up), for the perturbation at `position`.
    public init<Indices: Sequence<Int>>(ratio: Double, of indices: Indices, seed: UInt64, position: Int) {
        var builder = Builder(ratio: ratio, seed: seed, position: position)
        for index in indices { builder.add(index) }
        self = builder.build()
    }

    /// Whether the sample at `index` is chosen; only meaningful for the indices the selection was built from.
    public func contains(_ index: Int) -> Bool {
        switch rule {
        case .all: true
        case .none: false
        case .keysUpTo(let cutoff): Self.key(seed: seed, stream: stream, index: index) <= cutoff
        }
    }

    /// The rank key of a sample. For a fixed seed and stream it is a bijection of the index (SplitMix64's
    /// seeding multiplies the item by an odd constant and then only adds and applies its invertible mixer),
    /// so no two samples share a key and the k smallest keys are exactly k samples.
    static func key(seed: UInt64, stream: UInt64, index: Int) -> UInt64 {
        var rng = SplitMix64(seed: seed, stream: stream, item: UInt64(index))
        return rng.next()
    }

    /// The key stream of the perturbation at `position`: apart from the streams `Perturbation.apply` draws from
    /// (which are the positions themselves), so choosing a sample does not correlate with how it is changed.
    static func stream(position: Int) -> UInt64 {
        0x7365_6C65_6374_0000 | UInt64(position)
    }

    /// Collects the keys of the eligible samples while the first pass streams past them.
    public struct Builder: Sendable {
        private let ratio: Double
        private let seed: UInt64
        private let stream: UInt64
        private var keys: [UInt64] = []

        /// Creates a builder choosing round(ratio · N) samples for the perturbation at `position`.
        public init(ratio: Double, seed: UInt64, position: Int) {
            self.ratio = min(1, max(0, ratio))
            self.seed = seed
            stream = SampleSelection.stream(position: position)
        }

        /// Offers the sample at `index` (each index once).
        public mutating func add(_ index: Int) {
            keys.append(SampleSelection.key(seed: seed, stream: stream, index: index))
        }

        /// Samples offered so far (N).
        public var count: Int { keys.count }

        /// The selection of exactly round(ratio · N) of the samples offered.
        public func build() -> SampleSelection {
            let chosen = Int((ratio * Double(keys.count)).rounded(.toNearestOrAwayFromZero))
            if chosen <= 0 { return SampleSelection(ratio: ratio, rule: .none, seed: seed, stream: stream) }
            if chosen >= keys.count { return SampleSelection(ratio: ratio, rule: .all, seed: seed, stream: stream) }
            let cutoff = keys.sorted()[chosen - 1]
            return SampleSelection(ratio: ratio, rule: .keysUpTo(cutoff), seed: seed, stream: stream)
        }
    }
}
