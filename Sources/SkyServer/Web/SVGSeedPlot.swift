import Foundation

/// One benchmark's accuracy per variant and training seed as inline SVG: a dot per seed and a bar at their mean, so
/// run-to-run spread is seen next to the differences between variants.
struct SVGSeedPlot {
    /// One column: a variant and its seeds' accuracies (fractions in [0, 1]).
    struct Column {
        var variant: String
        var seeds: [(seed: Int64?, accuracy: Double)]
    }

    var benchmark: String
    var columns: [Column]
    var height = 200.0
    private let margin = (left: 46.0, right: 12.0, top: 12.0, bottom: 46.0)
    private let columnWidth = 70.0

    init(benchmark: String, columns: [Column]) {
        self.benchmark = benchmark
        self.columns = columns.filter { !$0.seeds.isEmpty }
    }

    var html: HTML {
        guard !columns.isEmpty else { return "" }
        let width = margin.left + margin.right + columnWidth * Double(columns.count)
        let plotHeight = height - margin.top - margin.bottom
        func y(_ accuracy: Double) -> Double { margin.top + (1 - accuracy) * plotHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }
        var parts: [String] = []
        for tick in stride(from: 0.0, through: 1.0, by: 0.25) {
            parts.append("<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\" class=\"grid\"/>"
                + "<text x=\"\(f(margin.left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(Int(tick * 100))</text>")
        }
        for (index, column) in columns.enumerated() {
            let centre = margin.left + columnWidth * (Double(index) + 0.5)
            let mean = column.seeds.map(\.accuracy).reduce(0, +) / Double(column.seeds.count)
            parts.append("<line x1=\"\(f(centre - 18))\" x2=\"\(f(centre + 18))\" y1=\"\(f(y(mean)))\" y2=\"\(f(y(mean)))\" stroke=\"#111827\" stroke-width=\"2\"/>")
            for (offset, seed) in column.seeds.enumerated() {
                // Seeds side by side, so equal accuracies stay visible as separate dots.
                let x = centre + (Double(offset) - Double(column.seeds.count - 1) / 2) * 7
                let label = "\(Self.escape(column.variant)), seed \(seed.seed.map(String.init) ?? "–"): \(f(seed.accuracy * 100))%"
                parts.append("<circle cx=\"\(f(x))\" cy=\"\(f(y(seed.accuracy)))\" r=\"3.5\" fill=\"#2563eb\"><title>\(label)</title></circle>")
            }
            parts.append("<text x=\"\(f(centre))\" y=\"\(f(height - margin.bottom + 16))\" text-anchor=\"middle\">\(Self.escape(Self.short(column.variant)))</text>")
        }
        let svg = "<svg class=\"plot\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"\(f(width))\" height=\"\(f(height))\" role=\"img\" "
            + "aria-label=\"\(Self.escape(benchmark)): accuracy per variant and seed\">\(parts.joined())</svg>"
        return HTML(trusted: "<figure class=\"card\"><figcaption>\(Self.escape(benchmark)): accuracy (%) per seed, bar at the mean</figcaption>\(svg)</figure>")
    }

    /// Column labels are narrow: long variant names are cut, the full name is in each dot's tooltip.
    static func short(_ name: String) -> String { name.count <= 12 ? name : String(name.prefix(11)) + "…" }

    static func escape(_ text: String) -> String { HTML.escape(text) }
}
