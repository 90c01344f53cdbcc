import ArgumentParser
import Foundation

/// The user's command-line client for Sky.
@main
struct Skyctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skyctl",
        abstract: "Sky's command-line client.",
        discussion: """
        Exit status: 0 ok, 64 usage error, 65 invalid input (400/422), 66 not found, 69 server unreachable \
        or unavailable, 77 token refused (401/403), 1 anything else.
        """,
        subcommands: [
            SubmitCommand.self, StatusCommand.self, ShowCommand.self, CancelCommand.self, RetryCommand.self,
            LogsCommand.self, MetricsCommand.self, WorkersCommand.self, QueuesCommand.self, ArtifactsCommand.self,
            ExperimentCommand.self, ExperimentsCommand.self, LeaderboardCommand.self, EvalCommand.self, ReproduceCommand.self, TrainCommand.self, GradeCommand.self, BenchCommand.self, DataCommand.self, ModelCommand.self,
        ]
    )

    /// Parses and runs like ArgumentParser's own `main`, but reports API failures as one line with their exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            FileHandle.standardError.write(Data("skyctl: \(failure.description)\n".utf8))
            exit(withError: ExitCode(failure.code))
        } catch {
            exit(withError: error)
        }
    }
}
