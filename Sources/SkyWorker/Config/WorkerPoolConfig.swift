public import Foundation
import SkyCore

/// A worker pool file (workers/*.yaml): what the workers on a host serve and offer.
///
/// Every field is optional; missing ones take the defaults of `WorkerConfiguration`.
public struct WorkerPoolConfig: Codable, Sendable, Equatable {
    /// Workers to run in the process, each with `slots` slots.
    public var workers: Int?
    /// Queues to claim from.
    public var queues: [String]?
    /// Kinds to run; default all that this build has executors for.
    public var kinds: [String]?
    /// Jobs run at once per worker.
    public var slots: Int?
    /// "blas" or "cuda" (`ComputeBackend`); "cpu" is the deprecated name of "blas".
    public var backend: String?
    /// Compute threads per job (BLAS threads on CPU).
    public var threads: Int?
    /// Memory offered to jobs' requirements, in MiB.
    public var memoryMB: Int?
    /// Labels jobs may require.
    public var labels: [String]?
    /// Lease length in seconds.
    public var leaseSeconds: Double?
    /// Fallback poll interval in seconds.
    public var pollSeconds: Double?
    /// Grace period on shutdown, in seconds.
    public var shutdownGraceSeconds: Double?
    /// Most jobs claimed per statement.
    public var claimBatchSize: Int?
    /// Prune finished jobs older than this many days (only one pool per database needs it).
    public var retentionDays: Double?

    /// An empty config (all defaults).
    public init() {}

    /// The worker configuration this file describes, with its problems as field-named messages.
    public func configuration(scratchDirectory: URL) throws -> WorkerConfiguration {
        var problems: [String] = []
        if let backend, ComputeBackend(named: backend) == nil {
            problems.append("backend: '\(backend)' is not one of \(ComputeBackend.names.joined(separator: ", "))")
        }
        for kind in kinds ?? [] where JobKind(rawValue: kind) == nil {
            problems.append("kinds: '\(kind)' is not a job kind (\(JobKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        if let workers, workers < 1 { problems.append("workers: must be at least 1") }
        var configuration = WorkerConfiguration(
            queues: queues ?? ["default"], slots: slots ?? 1,
            capabilities: WorkerCapabilities(backend: backend ?? ComputeBackend.blas.rawValue, memoryMB: memoryMB ?? Self.physicalMemoryMB(), labels: labels ?? []),
            lease: .milliseconds(Int64((leaseSeconds ?? 60) * 1000)),
            pollInterval: .milliseconds(Int64((pollSeconds ?? 2) * 1000)),
            claimBatchSize: claimBatchSize ?? 100,
            shutdownGrace: .milliseconds(Int64((shutdownGraceSeconds ?? 30) * 1000)),
            retention: retentionDays.map { .seconds($0 * 86_400) },
            scratchDirectory: scratchDirectory
        )
        configuration.heartbeatInterval = configuration.lease / 3
        problems += configuration.validate()
        if !problems.isEmpty { throw WorkerError.invalidConfiguration(problems) }
        return configuration
    }

    /// The machine's memory in MiB, the default offer.
    static func physicalMemoryMB() -> Int {
        Int(ProcessInfo.processInfo.physicalMemory / 1_048_576)
    }
}
