public import SkyCore

/// Totals of one perturbation over a dataset.
public struct PerturbationStatistics: Sendable, Hashable {
    /// The perturbation's spec name.
    public var name: String
    /// Its ratio.
    public var ratio: Double
    /// Records it was applied to.
    public var samples = 0
    /// Records whose text it changed.
    public var samplesChanged = 0
    /// Sums of every per-sample counter.
    public var totals: [String: Int] = [:]

    /// Creates empty totals.
    public init(name: String, ratio: Double) {
        self.name = name
        self.ratio = ratio
    }

    /// Adds one sample's effect.
    public mutating func add(_ effect: SampleEffect) {
        samples += 1
        if effect.changed { samplesChanged += 1 }
        for (key, value) in effect.counters { totals[key, default: 0] += value }
    }

    /// The totals as JSON, for manifests and job metrics.
    public var json: JSONValue {
        .object([
            "name": .string(name), "ratio": .number(ratio), "samples": .number(Double(samples)),
            "samplesChanged": .number(Double(samplesChanged)),
            "totals": .object(totals.mapValues { .number(Double($0)) }),
        ])
    }
}
