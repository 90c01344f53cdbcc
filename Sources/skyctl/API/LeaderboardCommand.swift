import ArgumentParser
import Foundation
import SkyClient

/// `skyctl leaderboard [--benchmark B] [--experiment E]`.
struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Scores with ± one standard error: per benchmark, or an experiment's variants × benchmarks table.",
        discussion: """
        Without --experiment: each model + adapter's best and latest score on every benchmark (or --benchmark B), \
        from the server's `leaderboard` view. With --experiment E: the paper's Table 2 shape, one row per variant, \
        one column per benchmark and the average, from the `experiment_table` view. Accuracies are percentages.
        """)

    @Option(help: "Only this benchmark.") var benchmark: String?
    @Option(help: "An experiment's table instead of the per-benchmark leaderboard.") var experiment: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            if let experiment {
                var scores = try await client.experimentScores(experiment)
                if let benchmark {
                    scores.benchmarks = scores.benchmarks.filter { $0 == benchmark }
                    // With one column left, the average is that column.
                    scores.rows = scores.rows.compactMap { row in
                        guard let cell = row.scores[benchmark] else { return nil }
                        return ExperimentScores.Row(variant: row.variant, scores: [benchmark: cell], average: cell.accuracy,
                                                    averageStandardError: cell.standardError)
                    }
                }
                if output.json { return try Output.json(scores) }
                print(scores.rows.isEmpty ? "no eval results in experiment '\(experiment)' yet" : LeaderboardText.render(scores))
                return
            }
            let entries = try await client.leaderboard(benchmark: benchmark)
            if output.json { return try Output.json(entries) }
            print(entries.isEmpty ? "no eval results yet" : LeaderboardText.render(entries, now: Date()))
        }
    }
}
