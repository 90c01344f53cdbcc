/// One of the paper's perturbations, applied to one record at a time.
///
/// Every random choice comes from `rng`, which the pipeline derives from (seed, perturbation position,
/// record index), so a record's result does not depend on the records before it.
public protocol Perturbation: Sendable {
    /// The spec name (`shuffle`, `corrupt_digits`, …).
    var name: String { get }
    /// The ratio the spec gave.
    var ratio: Double { get }
    /// Changes `record` in place and says what it did.
    func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect
}

/// What one perturbation did to one sample: whether the text changed and named counts.
public struct SampleEffect: Sendable, Hashable {
    /// Whether the record's text changed.
    public var changed: Bool
    /// Counts such as `stepsDeleted` or `numbersSeen`.
    public var counters: [String: Int]

    /// Creates an effect.
    public init(changed: Bool = false, counters: [String: Int] = [:]) {
        self.changed = changed
        self.counters = counters
    }

    /// Nothing happened.
    public static let untouched = SampleEffect()
}
