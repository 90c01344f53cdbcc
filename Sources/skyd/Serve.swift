import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import SkyClient
import SkyCore
import SkyServer
import SkyStore
import SkyWorker

/// `skyd serve`: the whole system in one process — database (embedded unless a URL is given),
/// migrations, the HTTP API and an in-process worker pool. Stops cleanly on SIGINT/SIGTERM, embedded
/// database included.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Sky: database, migrations, the API and local workers.")

    @OptionGroup var options: CommonOptions

    @Option(name: .long, help: "Worker pool file (e.g. workers/cpu.yaml); default: one CPU worker with one slot.")
    var workersConfig: String?

    @Flag(name: .long, help: "Run no local workers (workers run on other hosts).")
    var noWorkers = false

    @Option(name: .long, help: "Address the API binds (use 0.0.0.0 to serve other hosts).")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port of the API.")
    var port = 8080

    @Option(name: .long, help: "Largest artifact upload, in bytes.")
    var maxArtifactBytes: Int64 = 4 << 30

    @Option(name: .long, help: "Seconds a connection may take to send a whole request head (after opening or after its last response) before it is closed.")
    var requestHeadTimeout: Double = 30

    @Option(name: .long, help: "Most connections the API holds open at once; more wait in the listen backlog.")
    var maxConnections = 1000

    @Option(name: .long, help: "skyctl configuration file that the first start writes an admin token to (default: $SKY_CONFIG or ~/.config/sky/config.yaml).")
    var clientConfig: String?

    func run() async throws {
        let logger = try options.makeLogger("sky.serve")
        let pool = try WorkerPool.load(workersConfig)
        // Reject a bad pool file before starting anything.
        _ = try pool.configuration(scratchDirectory: options.dataDirectory.appendingPathComponent("scratch"))
        if !noWorkers { try WorkerPool.checkBackend(pool, path: workersConfig) }
        let database = try options.openDatabase(ownership: .exclusive, logger: logger)
        do {
            try await serve(database: database, pool: pool, logger: logger)
        } catch {
            try? database.close()
            throw error
        }
        try database.close()
    }

    private func serve(database: SkyDatabase, pool: WorkerPoolConfig, logger: Logger) async throws {
        let server = SkyServerConfiguration(host: host, port: port, maxArtifactBytes: maxArtifactBytes,
                                            requestHeadSeconds: requestHeadTimeout, maxConnections: maxConnections)
        let url = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        try await WorkerPool.run(
            pool, database: database, dataDirectory: options.dataDirectory, runWorkers: !noWorkers, logger: logger,
            services: { client in
                [SkyAPI(client: client, configuration: server, logger: Logger(label: "sky.api")).makeApplication()]
            },
            beforeStart: { client in try await ensureAdminToken(client: client, server: url, logger: logger) }
        ) { workers in
            logger.notice("Sky \(SkyVersion.current) serving on \(url) (web page: \(url)/ui/jobs, log in with the skyctl token); database \(database.configuration.displayName); \(workers) local workers; Ctrl-C stops")
        }
    }

    /// On the first start (no usable token in the database) makes an admin token and writes it, with the
    /// server's address, to skyctl's configuration file, so the local user can run skyctl at once.
    private func ensureAdminToken(client: PostgresClient, server: String, logger: Logger) async throws {
        let tokens = TokenStore(client: client, logger: logger)
        guard try await tokens.activeCount() == 0 else { return }
        let (record, secret) = try await tokens.create(name: "local-admin", scopes: [.admin])
        let file = clientConfig.map { URL(fileURLWithPath: $0) } ?? ClientConfigFile.defaultURL()
        try ClientConfigFile(server: server, token: secret).save(to: file)
        logger.notice("first start: created admin token \(record.prefix)… and wrote it to \(file.path) (mode 0600) for skyctl")
    }
}
