import Foundation

/// Small terminal plots of a numeric series.
public enum Sparkline {
    private static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One bar per value (averaged into `width` buckets when longer), scaled between the minimum and maximum.
    public static func render(_ values: [Double], width: Int = 60) -> String {
        let finite = resample(values.filter(\.isFinite), into: width)
        guard let low = finite.min(), let high = finite.max() else { return "" }
        let span = high - low
        return String(finite.map { value in
            span == 0 ? bars[bars.count / 2] : bars[min(bars.count - 1, Int((value - low) / span * Double(bars.count - 1) + 0.5))]
        })
    }

    /// A `height`-row chart of block columns with the maximum and minimum on the left axis.
    public static func chart(_ values: [Double], width: Int = 60, height: Int = 8) -> String {
        let points = resample(values.filter(\.isFinite), into: width)
        guard let low = points.min(), let high = points.max(), height > 0 else { return "" }
        let span = high - low
        // Each column's height in eighths of a row, so partial rows use the finer block characters.
        let levels = points.map { span == 0 ? height * 4 : Int(((($0 - low) / span) * Double(height * 8 - 1)).rounded()) + 1 }
        let labels = [format(high), format(low)]
        let labelWidth = labels.map(\.count).max() ?? 0
        var lines: [String] = []
        for row in (0..<height).reversed() {
            var label = ""
            if row == height - 1 { label = labels[0] } else if row == 0 { label = labels[1] }
            var line = String(repeating: " ", count: labelWidth - label.count) + label + " ┤"
            for level in levels {
                let filled = level - row * 8
                line.append(filled >= 8 ? "█" : filled <= 0 ? " " : bars[filled - 1])
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// `values` averaged into at most `count` buckets of consecutive values.
    static func resample(_ values: [Double], into count: Int) -> [Double] {
        guard values.count > count, count > 0 else { return values }
        return (0..<count).map { bucket in
            let start = bucket * values.count / count
            let end = max(start + 1, (bucket + 1) * values.count / count)
            return values[start..<end].reduce(0, +) / Double(end - start)
        }
    }

    /// Up to 4 significant digits.
    public static func format(_ value: Double) -> String { String(format: "%.4g", value) }
}
