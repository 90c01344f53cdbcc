import ArgumentParser
import PostgresNIO

/// The Sky daemon: embedded PostgreSQL, workers, migrations and the API.
@main
struct Skyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skyd",
        abstract: "The Sky service: job queue, workers and control plane.",
        subcommands: [Serve.self, WorkerCommand.self, Migrate.self, TokenCommand.self]
    )

    /// Runs the command, printing database errors in full: PostgresNIO's own description hides the
    /// server's message (to keep secrets out of logs), which leaves an operator nothing to act on.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as PSQLError {
            exit(withError: DatabaseError(error))
        } catch {
            exit(withError: error)
        }
    }
}

/// A PostgreSQL error with the server's message and SQLSTATE, for the terminal.
struct DatabaseError: Error, CustomStringConvertible {
    let description: String

    init(_ error: PSQLError) {
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            description = "database error: \(message)\(state)"
        } else {
            description = "database error: \(error.code)"
                + (error.underlying.map { ": \($0)" } ?? "")
        }
    }
}
