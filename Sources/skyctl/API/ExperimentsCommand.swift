import ArgumentParser
import Foundation
import SkyClient

/// `skyctl experiments [NAME]`: the older spelling of `skyctl experiment list` and `skyctl experiment show NAME`.
struct ExperimentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiments", abstract: "Experiments with counts by state; with NAME, that experiment's jobs (= skyctl experiment list|show).")

    @Argument(help: "Experiment name.") var name: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Self.show(name, connection: connection, json: output.json)
    }

    /// Every experiment, or with `name` that experiment's jobs.
    static func show(_ name: String?, connection: ConnectionOptions, json: Bool) async throws {
        let style = TerminalStyle.forStandardOutput()
        try await connection.withClient { client in
            let now = Date()
            if let name {
                let detail = try await client.experiment(name)
                if json { return try Output.json(detail) }
                print("Experiment \(detail.name): \(detail.total) jobs — \(ExperimentTable.countsText(detail.counts))\n")
                print(JobTable(style: style).render(detail.jobs, now: now))
                return
            }
            let experiments = try await client.experiments()
            if json { return try Output.json(experiments) }
            print(experiments.isEmpty ? "no experiments" : ExperimentTable.render(experiments, now: now))
        }
    }
}
