import ArgumentParser

/// The Sky daemon: embedded PostgreSQL, workers, migrations the API.
@main
struct Skyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skyd",
        abstract: "The Sky service: job queue, workers and control plane.",
        subcommands: [Serve.self, WorkerCommand.self, Migrate.self, TokenCommand.self]
    )
}
