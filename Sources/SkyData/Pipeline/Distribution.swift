public import SkyCore

/// Sum, mean, median and extremes of per-sample counts, as `skyctl data stats` reports them.
public struct Distribution: Sendable, Hashable {
    /// Number of samples.
    public var count: Int
    /// Sum over samples.
    public var total: Int
    /// Smallest value (0 with no samples).
    public var min: Int
    /// Upper median: the value at index count / 2 of the sorted values (0 with no samples).
    public var median: Int
    /// Largest value (0 with no samples).
    public var max: Int

    /// Summarises `values`.
    public init(_ values: [Int]) {
        let sorted = values.sorted()
        count = sorted.count
        total = sorted.reduce(0, +)
        min = sorted.first ?? 0
        median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        max = sorted.last ?? 0
    }

    /// total / count, 0 with no samples.
    public var mean: Double { count == 0 ? 0 : Double(total) / Double(count) }

    /// `{mean, median, min, max}`, or `{}` with no samples.
    public var json: JSONValue {
        guard count > 0 else { return .object([:]) }
        return .object([
            "mean": .number(mean), "median": .number(Double(median)),
            "min": .number(Double(min)), "max": .number(Double(max)),
        ])
    }
}
