import ArgumentParser

/// The Sky daemon: API server, embedded PostgreSQL, workers, migrations.
@main
struct Skyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "skyd", abstract: "The Sky service.")
}
