import ArgumentParser
import Foundation
import Logging
import SkyCore
import SkyStore
import SkyWorker

/// `skyd worker`: workers only, on any host, pointed at the shared database.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "worker", abstract: "Run workers against a Sky database.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Worker pool file (e.g. workers/cpu.yaml).")
    var config: String?

    func run() async throws {
        let logger = try options.makeLogger("sky.worker")
        let pool = try WorkerPool.load(config)
        // Reject a bad pool file before starting anything.
        _ = try pool.configuration(scratchDirectory: options.dataDirectory.appendingPathComponent("scratch"))
        try WorkerPool.checkBackend(pool, path: config)
        let database = try options.openDatabase(logger: logger)
        defer { try? database.close() }
        try await WorkerPool.run(pool, database: database, dataDirectory: options.dataDirectory, logger: logger)
    }
}
