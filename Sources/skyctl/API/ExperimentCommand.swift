import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl experiment submit|status|table|list|show`: experiment files and their progress and results.
struct ExperimentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experiment",
        abstract: "Submit an experiment file and follow it: progress per stage, the paper-shaped table.",
        subcommands: [
            ExperimentSubmitCommand.self, ExperimentStatusCommand.self, ExperimentTableCommand.self, ExperimentListCommand.self,
            ExperimentShowCommand.self,
        ])
}

/// `skyctl experiment submit FILE [--quick] [--dry-run] [--if-absent]`.
struct ExperimentSubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Expand an experiment file into its jobs and submit them in one transaction; prints the plan.",
        discussion: """
        The server expands the file (pretraining when baseModel has init → a perturb job per variant → a train job per \
        variant → an eval job per variant and benchmark, plus the untuned base's evals). Each job's key is a hash of its \
        content and its dependencies' keys: resubmitting the same file reuses every job that succeeded or is still \
        queued, waiting or running, and re-runs failed or cancelled ones and everything downstream of them.
        """)

    @Argument(help: "Experiment file (YAML or JSON; - for standard input).") var file: String
    @Flag(help: "Only the variants of the file's quick list.") var quick = false
    @Flag(name: .customLong("dry-run"), help: "Show what would be new, reused or re-run; store nothing.") var dryRun = false
    @Flag(name: .customLong("if-absent"), help: "Do nothing when the experiment already has jobs.") var ifAbsent = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let document: JSONValue
        do {
            document = file == "-"
                ? try SpecDocument.parse(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
                : try loadFile()
        } catch let error as SpecFileError {
            throw CLIFailure(error.description, code: 65)
        }
        try await connection.withClient { client in
            if ifAbsent, let name = document["experiment"]?.stringValue, try await Self.exists(name, client: client) {
                if output.json { return try Output.json(["experiment": name, "skipped": "exists"]) }
                print("experiment '\(name)' already exists; not submitted (skyctl experiment status \(name))")
                return
            }
            let submission = try await client.submitExperiment(document, quick: quick, dryRun: dryRun)
            if output.json { return try Output.json(submission) }
            print(ExperimentPlanText.render(submission))
        }
    }

    private func loadFile() throws -> JSONValue {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIFailure("\(file): no such file", code: 66) }
        return try SpecDocument.load(URL(fileURLWithPath: file))
    }

    static func exists(_ name: String, client: APIClient) async throws -> Bool {
        do {
            _ = try await client.experiment(name)
            return true
        } catch APIError.notFound(_) {
            return false
        }
    }
}

/// `skyctl experiment status NAME`.
struct ExperimentStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Progress per stage: jobs by state, running jobs' progress, failures with their errors.")

    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            let detail = try await client.experiment(name)
            if output.json { return try Output.json(detail) }
            print(ExperimentPlanText.progress(detail))
        }
    }
}

/// `skyctl experiment table NAME`: what `skyctl leaderboard --experiment NAME` prints.
struct ExperimentTableCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "table", abstract: "The paper-shaped table: variants × benchmarks and the average, ± one standard error.")

    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            let scores = try await client.experimentScores(name)
            if output.json { return try Output.json(scores) }
            print(scores.rows.isEmpty ? "no eval results in experiment '\(name)' yet" : LeaderboardText.render(scores))
        }
    }
}

/// `skyctl experiment list` (also `skyctl experiments`).
struct ExperimentListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Experiments with counts by state.")

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ExperimentsCommand.show(nil, connection: connection, json: output.json)
    }
}

/// `skyctl experiment show NAME` (also `skyctl experiments NAME`).
struct ExperimentShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One experiment's jobs.")

    @Argument(help: "Experiment name.") var name: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await ExperimentsCommand.show(name, connection: connection, json: output.json)
    }
}
