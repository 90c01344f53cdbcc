import ArgumentParser
import SkyStore

/// `skyd migrate`: bring the database schema up to date and exit.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations and exit.")

    @OptionGroup var options: CommonOptions

    func run() async throws {
        let logger = try options.makeLogger("sky.migrate")
        let database = try options.openDatabase(logger: logger)
        defer { try? database.close() }
        let applied = try await database.withClient { client in try await Migrator(client: client, logger: logger).migrate() }
        print(applied.isEmpty
            ? "schema is up to date (version \(Migration.all.last?.version ?? 0))"
            : "applied \(applied.map { "\($0.version)_\($0.name)" }.joined(separator: ", "))")
    }
}
