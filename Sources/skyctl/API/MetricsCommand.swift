import ArgumentParser
import Foundation
import SkyClient

/// `skyctl metrics ID [KEY]`.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "A job's latest value of every metric, or with KEY that series and a plot of it.")

    @Argument(help: "Job id.") var id: Int64
    @Argument(help: "Metric key, e.g. train/loss.") var key: String?
    @Option(help: "Plot width in columns.") var width = 60
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            guard let key else {
                let points = try await client.latestMetrics(id)
                if output.json { return try Output.json(points) }
                var table = TextTable(headers: ["KEY", "STEP", "VALUE", "ATTEMPT", "AT"], rightAligned: [1, 2])
                for point in points.sorted(by: { $0.key < $1.key }) {
                    table.append([point.key, String(point.step), Sparkline.format(point.value), String(point.attempt), TimeText.timestamp(point.at)])
                }
                print(points.isEmpty ? "job \(id) has written no metrics" : table.render())
                return
            }
            let series = try await client.metricSeries(id, key: key)
            if output.json { return try Output.json(series) }
            guard !series.points.isEmpty else {
                print("job \(id) has no points of \(key)")
                return
            }
            var table = TextTable(headers: ["STEP", "VALUE", "ATTEMPT"], rightAligned: [0, 1, 2])
            for point in series.points { table.append([String(point.step), Sparkline.format(point.value), String(point.attempt)]) }
            print(table.render())
            // One point makes no plot; the table said all there is.
            guard series.points.count > 1 else { return }
            print("\n\(key), steps \(series.points.first!.step)…\(series.points.last!.step):")
            print(Sparkline.chart(series.points.map(\.value), width: width, height: 8))
        }
    }
}
