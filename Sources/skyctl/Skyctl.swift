import ArgumentParser

/// The user's command-line client for Sky.
@main
struct Skyctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skyctl",
        abstract: "Sky's command-line client.",
        subcommands: [BenchCommand.self, DataCommand.self, ModelCommand.self, TrainCommand.self]
    )
}
