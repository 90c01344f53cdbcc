import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import SkyCore
import SkyJobs
import SkyStore
import SkyWorker
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
