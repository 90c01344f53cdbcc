import ArgumentParser

/// `skyctl data …`: dataset work that runs locally on files, no server needed.
struct DataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Perturb, convert, inspect and synthesise datasets locally.",
        subcommands: [DataPerturbCommand.self, DataConvertCommand.self, DataStatsCommand.self, DataSynthCommand.self]
    )
}
