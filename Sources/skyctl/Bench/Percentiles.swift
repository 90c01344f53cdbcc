import Foundation

/// Nearest-rank percentiles of a sample.
struct Percentiles {
    private let sorted: [Double]

    init(_ values: [Double]) {
        sorted = values.sorted()
    }

    /// The p-th percentile (0...100), nearest rank; 0 for an empty sample.
    func value(_ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// How bench reports print a sample of rounds: the median with the range.
enum RoundsText {
    /// The median of `values` (0 for none).
    static func median(_ values: [Double]) -> Double { Percentiles(values).value(50) }

    /// `123 (110–130)`, with fewer decimals the larger the median.
    static func range(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "n/a" }
        let middle = median(values)
        let format = "%.\(middle >= 100 ? 0 : middle >= 10 ? 1 : 2)f"
        return String(format: format, middle) + " (" + String(format: format, low) + "–" + String(format: format, high) + ")"
    }

    /// Fractions as `75% (70–80%)`.
    static func percent(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "n/a" }
        return String(format: "%.0f%% (%.0f–%.0f%%)", median(values) * 100, low * 100, high * 100)
    }
}
