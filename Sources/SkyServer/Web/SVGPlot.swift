import Foundation

/// A line plot of metric series against step, as inline SVG (no script, no image request).
struct SVGPlot {
    /// One line: a name for the legend and its points in step order.
    struct Series {
        var name: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var series: [Series]
    /// A fixed y range (accuracy is 0…1); otherwise the data's range.
    var yRange: ClosedRange<Double>?
    var width = 520.0
    var height = 220.0

    private let margin = (left: 58.0, right: 14.0, top: 12.0, bottom: 30.0)
    private static let colours = ["#2563eb", "#ea580c", "#16a34a", "#9333ea", "#dc2626", "#0891b2"]

    init(title: String, series: [Series], yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.series = series.filter { !$0.points.isEmpty }
        self.yRange = yRange
    }

    /// The figure: title, legend and the SVG.
    var html: HTML {
        let all = series.flatMap(\.points)
        guard let first = all.first else { return "" }
        let xs = Self.padded(all.reduce(first.x...first.x) { min($0.lowerBound, $1.x)...max($0.upperBound, $1.x) }, pad: 0)
        let ys = yRange ?? Self.padded(all.reduce(first.y...first.y) { min($0.lowerBound, $1.y)...max($0.upperBound, $1.y) }, pad: 0.05)
        let plotWidth = width - margin.left - margin.right
        let plotHeight = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - xs.lowerBound) / (xs.upperBound - xs.lowerBound) * plotWidth }
        func py(_ y: Double) -> Double { margin.top + (1 - (y - ys.lowerBound) / (ys.upperBound - ys.lowerBound)) * plotHeight }
        func f(_ value: Double) -> String { String(format: "%.1f", value) }

        var parts: [HTML] = []
        let yTicks = Self.ticks(ys, count: 4)
        for tick in yTicks {
            let y = f(py(tick))
            parts.append("<line class=\"grid\" x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(y)\" y2=\"\(y)\"/>")
            parts.append("<text class=\"tick\" x=\"\(f(margin.left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\">\(Self.label(tick, among: yTicks))</text>")
        }
        let xTicks = Self.ticks(xs, count: 5).filter { $0 == $0.rounded() }
        for tick in xTicks {
            parts.append("<text class=\"tick\" x=\"\(f(px(tick)))\" y=\"\(f(height - margin.bottom + 16))\" text-anchor=\"middle\">\(Self.label(tick, among: xTicks))</text>")
        }
        parts.append("<line class=\"axis\" x1=\"\(f(margin.left))\" x2=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" y2=\"\(f(height - margin.bottom))\"/>")
        parts.append("<line class=\"axis\" x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(height - margin.bottom))\" y2=\"\(f(height - margin.bottom))\"/>")
        parts.append("<text class=\"tick\" x=\"\(f(width - margin.right))\" y=\"\(f(height - 2))\" text-anchor=\"end\">step</text>")
        for (index, line) in series.enumerated() {
            let colour = Self.colours[index % Self.colours.count]
            if line.points.count == 1, let point = line.points.first {
                parts.append("<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"3\" fill=\"\(colour)\"/>")
            } else {
                let path = line.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
                parts.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.8\" points=\"\(path)\"/>")
            }
        }
        let legend = series.enumerated().map { index, line -> HTML in
            let last = line.points.last.map { WebFormat.number($0.y) } ?? ""
            return "<span class=\"key\"><i style=\"background:\(Self.colours[index % Self.colours.count])\"></i>\(line.name) <b>\(last)</b></span>"
        }
        return """
            <figure class="plot"><figcaption>\(title)<span class="legend">\(legend)</span></figcaption>\
            <svg viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-label="\(title)">\(parts)</svg></figure>
            """
    }

    /// `range` widened by `pad` of its span, and never empty (a flat series still gets an axis).
    static func padded(_ range: ClosedRange<Double>, pad: Double) -> ClosedRange<Double> {
        let span = range.upperBound - range.lowerBound
        if span <= 0 {
            let half = max(abs(range.lowerBound) * 0.1, 0.5)
            return (range.lowerBound - half)...(range.upperBound + half)
        }
        return (range.lowerBound - span * pad)...(range.upperBound + span * pad)
    }

    /// A tick's label with just the decimals its spacing needs (0.005, not 0.0050).
    static func label(_ value: Double, among ticks: [Double]) -> String {
        let spacing = ticks.count > 1 ? abs(ticks[1] - ticks[0]) : max(abs(value), 1)
        guard spacing > 0, spacing.isFinite else { return WebFormat.number(value) }
        if spacing < 1e-4 || abs(value) >= 1e6 { return String(format: "%.1e", value) }
        let decimals = max(0, Int(-floor(log10(spacing) + 1e-9)))
        return String(format: "%.\(decimals)f", value)
    }

    /// Round values (1, 2 or 5 × 10ⁿ apart) inside `range`, about `count` of them.
    static func ticks(_ range: ClosedRange<Double>, count: Int) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let rough = span / Double(count)
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? rough
        var tick = (range.lowerBound / step).rounded(.up) * step
        var ticks: [Double] = []
        while tick <= range.upperBound + step * 1e-9, ticks.count < 20 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }
}
