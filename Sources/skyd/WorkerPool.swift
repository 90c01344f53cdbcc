import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SkyCore
import SkyJobs
import SkyStore
import SkyTensor
import SkyWorker
import UnixSignals
import Yams

/// Reads a workers/*.yaml pool file and builds the workers it describes.
enum WorkerPool {
    /// The pool file's contents, or defaults when no file is given.
    static func load(_ path: String?) throws -> WorkerPoolConfig {
        guard let path else { return WorkerPoolConfig() }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw PoolFileError("cannot read worker pool file \(path): \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(WorkerPoolConfig.self, from: text)
        } catch let error as DecodingError {
            throw PoolFileError("\(path): \(describe(error))")
        } catch {
            throw PoolFileError("\(path): \(error)")
        }
    }

    /// Throws, before any worker starts, when the pool offers backend cuda on a host that cannot start it: such workers
    /// would claim CUDA jobs and fail every attempt. The check starts the CUDA backend once (driver, cuBLAS, NVRTC,
    /// kernels compiled or read from the cache) and lets it go.
    static func checkBackend(_ pool: WorkerPoolConfig, path: String?) throws {
        guard let backend = pool.backend, ComputeBackend(named: backend) == .cuda else { return }
        do {
            _ = try BackendSelection.make(ComputeBackend.cuda.rawValue)
        } catch {
            throw PoolFileError("\(path ?? "the worker pool") offers backend cuda, but this host cannot start it: \(error.description)")
        }
    }

    /// `count` workers sharing `queue`, each with the pool's settings and the executors it asks for.
    static func makeWorkers(_ pool: WorkerPoolConfig, queue: JobQueue, database: DatabaseConfiguration, dataDirectory: URL, logger: Logger) throws -> [Worker] {
        var registry = StandardExecutors.registry()
        if let kinds = pool.kinds {
            let wanted = Set(kinds.compactMap(JobKind.init(rawValue:)))
            registry = ExecutorRegistry(registry.kinds.filter(wanted.contains).compactMap(registry.executor(for:)))
        }
        let base = try pool.configuration(scratchDirectory: dataDirectory.appendingPathComponent("scratch"))
        return (0..<(pool.workers ?? 1)).map { index in
            var configuration = base
            if index > 0 { configuration.id += "-\(index)" }
            return Worker(configuration: configuration, queue: queue, database: database, executors: registry,
                          version: SkyVersion.current, logger: logger)
        }
    }

    /// Migrates the database, then runs its client and the pool's workers (none when `runWorkers` is false)
    /// until SIGINT or SIGTERM, when workers finish gracefully before the client closes.
    static func run(
        _ pool: WorkerPoolConfig, database: SkyDatabase, dataDirectory: URL, runWorkers: Bool = true, logger: Logger,
        services: (PostgresClient) throws -> [any Service] = { _ in [] },
        beforeStart: (PostgresClient) async throws -> Void = { _ in },
        onStart: (_ workers: Int) -> Void = { _ in }
    ) async throws {
        try await database.withClient { client in
            try await Migrator(client: client, logger: logger).migrate()
            try await beforeStart(client)
        }
        let client = PostgresClient(configuration: database.configuration.client)
        let queue = JobQueue(client: client, logger: logger)
        let workers = runWorkers
            ? try makeWorkers(pool, queue: queue, database: database.configuration, dataDirectory: dataDirectory, logger: logger)
            : []
        // The API (when serving) stops before the workers, and both before the client.
        let extra = try services(client)
        // Services stop in reverse order: workers drain before the client they write through closes.
        // The embedded server's supervisor comes first, so it stops last: it keeps PostgreSQL up while workers drain.
        let supervisor: [ServiceGroupConfiguration.ServiceConfiguration] = database.embedded.map {
            [.init(service: EmbeddedPostgresSupervisor(server: $0))]
        } ?? []
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: supervisor + [.init(service: client)] + workers.map { .init(service: $0) } + extra.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        onStart(workers.count)
        try await group.run()
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): expected \(type)"
        case .keyNotFound(let key, _): "\(key.stringValue): missing"
        case .dataCorrupted(let context): context.debugDescription
        @unknown default: "\(error)"
        }
    }
}

/// A worker pool file that cannot be used; printed without the usage text, since the command line was fine.
struct PoolFileError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Starts the embedded PostgreSQL again whenever its postmaster dies while skyd owns it (an operator's `kill -9`, the
/// OOM killer, `pg_ctl stop -m immediate`), so one crash of the database never takes the service down for good.
struct EmbeddedPostgresSupervisor: Service {
    let server: EmbeddedPostgres

    func run() async throws {
        await cancelWhenGracefulShutdown { await server.superviseRestarts() }
    }
}
