import ArgumentParser
import Foundation
import Logging
import SkyCore
import SkyStore
import SkyWorker

/// `skyd serve`: the whole system in one process — database (embedded unless a URL is given),
/// migrations, and an in-process worker pool. Stops cleanly on SIGINT/SIGTERM, embedded database included.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Sky: database, migrations and local workers.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Worker pool file (e.g. workers/cpu.yaml); default: one CPU worker with one slot.")
    var workersConfig: String?

    @Flag(name: .long, help: "Run no local workers (workers run on other hosts).")
    var noWorkers = false

    func run() async throws {
        let logger = try options.makeLogger("sky.serve")
        let pool = try WorkerPool.load(workersConfig)
        // Reject a bad pool file before starting anything.
        _ = try pool.configuration(scratchDirectory: options.dataDirectory.appendingPathComponent("scratch"))
        let database = try options.openDatabase(logger: logger)
        do {
            try await serve(database: database, pool: pool, logger: logger)
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
    }

    private func serve(database: SkyDatabase, pool: WorkerPoolConfig, logger: Logger) async throws {
        try await WorkerPool.run(
            pool, database: database, dataDirectory: options.dataDirectory, runWorkers: !noWorkers, logger: logger
        ) { workers in
            logger.notice("Sky \(SkyVersion.current) serving; database \(database.configuration.displayName); \(workers) local workers; Ctrl-C stops")
        }
    }
}
