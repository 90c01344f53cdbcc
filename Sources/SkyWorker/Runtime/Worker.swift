import Foundation
public import Logging
import PostgresNIO
public import ServiceLifecycle
import SkyCore
public import SkyStore
import Synchronization

/// A worker: registers itself, claims jobs for its free slots, runs them through their executors,
/// heartbeats leases, writes results back in batches, and shuts down gracefully.
///
/// Idle workers sleep on LISTEN/NOTIFY and claim the moment a job is queued; polling every
/// `pollInterval` is only the fallback. On graceful shutdown (SIGTERM through ServiceLifecycle, or
/// `shutdown()`), it stops claiming, lets running jobs finish within `shutdownGrace`, then hands the
/// rest back without using up an attempt.
public final class Worker: Service, Sendable {
    /// The worker's settings.
    public let configuration: WorkerConfiguration
    /// Name and version recorded in the workers table.
    public let version: String
    private let queue: JobQueue
    private let database: DatabaseConfiguration
    private let executors: ExecutorRegistry
    private let artifacts: any ArtifactStore
    private let logger: Logger
    private let running = RunningJobs()
    private let telemetry = TelemetryBuffer()
    private let wake = WakeSignal()
    private let flags = Mutex(Flags())

    private struct Flags {
        var stopping = false
        var mayHaveWork = true
        var jobsDone = false
    }

    /// The identity claims are made with.
    public var identity: WorkerIdentity {
        WorkerIdentity(id: configuration.id, queues: configuration.queues, kinds: executors.kinds, capabilities: configuration.capabilities)
    }

    /// A worker over `queue`, listening for notifications on a dedicated connection made from `database`;
    /// job inputs and outputs go to `artifacts` (by default, the same database).
    public init(
        configuration: WorkerConfiguration, queue: JobQueue, database: DatabaseConfiguration, executors: ExecutorRegistry,
        artifacts: (any ArtifactStore)? = nil, version: String = "dev", logger: Logger = Logger(label: "sky.worker")
    ) {
        self.configuration = configuration
        self.queue = queue
        self.artifacts = artifacts ?? PostgresArtifactStore(client: queue.client)
        self.database = database
        self.executors = executors
        self.version = version
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.id)"
        self.logger = logger
    }

    /// Starts a graceful shutdown, as SIGTERM would.
    public func shutdown() {
        flags.withLock { $0.stopping = true }
        wake.signal()
    }

    /// Jobs this worker is running right now.
    public var runningCount: Int { running.count }

    /// Runs until graceful shutdown completes (or the task is cancelled, which stops at once).
    public func run() async throws {
        let problems = configuration.validate()
        guard problems.isEmpty else { throw WorkerError.invalidConfiguration(problems) }
        guard !executors.kinds.isEmpty else { throw WorkerError.invalidConfiguration(["no executors registered"]) }
        try FileManager.default.createDirectory(at: configuration.scratchDirectory, withIntermediateDirectories: true)
        try await WorkerRegistry(client: queue.client).register(
            identity, host: ProcessInfo.processInfo.hostName, pid: Int(ProcessInfo.processInfo.processIdentifier),
            version: version, slots: configuration.slots)
        logger.info("worker started", metadata: ["queues": "\(configuration.queues)", "slots": "\(configuration.slots)", "kinds": "\(executors.kinds.map(\.rawValue))"])

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { background in
                background.addTask { await self.listen() }
                background.addTask { await self.heartbeatLoop() }
                background.addTask { await self.leaseWatchdog() }
                background.addTask { await self.maintenanceLoop() }
                // Unstructured so a hard cancel of `run` still lets it write hand-backs; it ends on its own.
                let flusher = Task { await self.flushLoop() }
                await withDiscardingTaskGroup { jobs in
                    await self.claimLoop(jobs: &jobs)
                    await self.drain()
                }
                flags.withLock { $0.jobsDone = true }
                telemetry.completionArrived.signal()
                await flusher.value
                background.cancelAll()
            }
        } onGracefulShutdown: {
            self.shutdown()
        }
        try? await WorkerRegistry(client: queue.client).markStopped(configuration.id)
        logger.info("worker stopped")
    }

    private var isStopping: Bool { flags.withLock { $0.stopping } || Task.isCancelled }

    // MARK: Claiming

    private func claimLoop(jobs: inout DiscardingTaskGroup) async {
        var failures = 0
        while !isStopping {
            let free = configuration.slots - running.count
            if free > 0, flags.withLock({ $0.mayHaveWork }) {
                let limit = min(free, configuration.claimBatchSize)
                do {
                    let (queue, identity, lease) = (queue, identity, configuration.lease)
                    let sent = ContinuousClock.now
                    let claimed = try await Self.bounded { try await queue.claim(for: identity, limit: limit, lease: lease) }
                    failures = 0
                    flags.withLock { $0.mayHaveWork = claimed.count == limit }
                    for job in claimed { start(job, leaseDeadline: sent + lease, in: &jobs) }
                    if claimed.count == limit { continue }
                } catch {
                    failures += 1
                    logger.warning("claim failed: \(String(reflecting: error))")
                    await wake.wait(timeout: min(configuration.pollInterval, .milliseconds(100 * (1 << min(failures, 5)))))
                    continue
                }
            }
            if await !wake.wait(timeout: configuration.pollInterval) {
                // A quiet poll interval: claim anyway, since delayed retries send no NOTIFY.
                flags.withLock { $0.mayHaveWork = true }
            }
        }
    }

    private func start(_ job: ClaimedJob, leaseDeadline: ContinuousClock.Instant, in jobs: inout DiscardingTaskGroup) {
        let token = job.token
        running.insert(token, leaseDeadline: leaseDeadline)
        jobs.addTask {
            let scratch = self.configuration.scratchDirectory.appendingPathComponent("job-\(job.id)-\(job.attempt)")
            let outcome = await self.execute(job, scratch: scratch)
            try? FileManager.default.removeItem(at: scratch)
            let reason = self.running.remove(token)
            if reason == .lostLease {
                self.logger.warning("\(token) lost its lease; its result is discarded")
            } else {
                self.telemetry.complete(JobCompletion(token: token, outcome: outcome))
            }
            self.wake.signal()
        }
    }

    private func execute(_ job: ClaimedJob, scratch: URL) async -> JobOutcome {
        guard let executor = executors.executor(for: job.kind) else {
            return .failed(error: "this worker has no executor for \(job.kind.rawValue) jobs", permanent: false, retryDelay: .seconds(1))
        }
        let context = JobContext(job: job, scratchDirectory: scratch, telemetry: telemetry, queue: queue, artifacts: artifacts)
        let result = Mutex<Result<JSONValue?, any Error>>(.success(nil))
        let task = Task {
            do {
                let output = try await executor.run(context)
                result.withLock { $0 = .success(output) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
        }
        running.attach(task, to: job.token)
        await task.value
        let reason = running.withReason(job.token)
        switch result.withLock({ $0 }) {
        case .success(let output):
            return .succeeded(result: output)
        case .failure(let error):
            switch reason {
            case .requested?: return .cancelled(reason: "cancelled by user")
            case .shutdown?: return .handedBack(reason: "worker \(configuration.id) shutting down")
            case .lostLease?: return .cancelled(reason: "lease lost")
            case nil:
                if let permanent = error as? PermanentJobError {
                    return .failed(error: permanent.message, permanent: true, retryDelay: .zero)
                }
                // A spec that fails validation fails the same way on every attempt.
                if let invalid = error as? SpecValidationError {
                    return .failed(error: invalid.description, permanent: true, retryDelay: .zero)
                }
                let delay = configuration.retryPolicy.delay(afterAttempt: job.attemptsUsed)
                return .failed(error: Self.describe(error), permanent: false, retryDelay: delay)
            }
        }
    }

    /// Waits for running jobs to finish, up to the grace period, then hands the rest back.
    private func drain() async {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.shutdownGrace
        if running.count > 0 {
            logger.info("waiting up to \(configuration.shutdownGrace) for \(running.count) running jobs")
        }
        while running.count > 0, clock.now < deadline, !Task.isCancelled {
            await wake.wait(timeout: .milliseconds(50))
        }
        if running.count > 0 {
            logger.info("handing back \(running.count) unfinished jobs")
            running.cancelAll(reason: .shutdown)
        }
    }

    // MARK: Writing back

    /// Writes back until every job has ended and everything is written; after the jobs end it gives up
    /// after repeated failures so shutdown cannot hang on a dead database (the leases then expire).
    private func flushLoop() async {
        var failuresAfterJobsEnded = 0
        while true {
            await telemetry.completionArrived.wait(timeout: configuration.telemetryInterval)
            let ok = await flushOnce()
            guard flags.withLock({ $0.jobsDone }) else { continue }
            if telemetry.isEmpty { return }
            if !ok {
                failuresAfterJobsEnded += 1
                if failuresAfterJobsEnded >= 20 {
                    logger.error("giving up writing back results; their leases will expire and the jobs re-run")
                    return
                }
            }
        }
    }

    @discardableResult
    private func flushOnce() async -> Bool {
        let batch = telemetry.take()
        guard !batch.isEmpty else { return true }
        do {
            // Telemetry first: once a job is completed its run no longer accepts writes.
            let (queue, id) = (queue, configuration.id)
            try await Self.bounded {
                try await queue.record(logs: batch.logs, metrics: batch.metrics, progress: Array(batch.progress.values))
                try await queue.complete(batch.completions, workerID: id)
            }
            telemetry.flushed()
            return true
        } catch {
            logger.warning("write-back failed, will retry: \(String(reflecting: error))")
            telemetry.restore(batch)
            return false
        }
    }

    // MARK: Leases

    private func heartbeatLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.heartbeatInterval)
            let tokens = running.tokens
            do {
                let (queue, id, lease, all) = (queue, configuration.id, configuration.lease, tokens + telemetry.unwrittenCompletions)
                let sent = ContinuousClock.now
                // An answer later than the lease renews nothing (it counts from `sent`), and a heartbeat stuck on a
                // connection whose packets vanish would hold back the next one, which after the network heals would
                // go through at once on another connection.
                let (held, cancelRequested) = try await Self.bounded(seconds: min(Self.databaseDeadlineSeconds, lease / .seconds(1))) {
                    try await queue.heartbeat(workerID: id, tokens: all, lease: lease, slotsInUse: tokens.count)
                }
                running.renew(held, until: sent + lease)
                for token in tokens where !held.contains(token) { running.cancel(token, reason: .lostLease) }
                for token in cancelRequested { running.cancel(token, reason: .requested) }
            } catch {
                if Task.isCancelled { return }
                logger.warning("heartbeat failed: \(String(reflecting: error))")
            }
        }
    }

    /// Stops every run whose lease the database may consider expired, whether or not a heartbeat has come back to say
    /// so: on a network that drops packets silently a heartbeat neither succeeds nor fails for a long time, and past
    /// the lease another worker may be running the same job. The attempt fence keeps such a run's late writes out of
    /// the database anyway; this keeps the worker from spending its slot, and its side effects, on a lost job.
    private func leaseWatchdog() async {
        let tick = min(configuration.heartbeatInterval / 4, .seconds(1))
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            // One tick early, so the run is stopped no later than the moment its lease can expire.
            for token in running.leasesEnding(before: .now + tick) {
                logger.warning("job \(token.id) attempt \(token.attempt): no heartbeat reached the database within its lease (\(configuration.lease)); stopping the run, since another worker may hold the job now")
                running.cancel(token, reason: .lostLease)
            }
        }
    }

    private func maintenanceLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.maintenanceInterval)
            guard !Task.isCancelled else { return }
            do {
                let rescued = try await queue.rescueExpired()
                if rescued > 0 { logger.info("finished \(rescued) jobs whose last lease expired") }
                if let retention = configuration.retention {
                    let pruned = try await queue.prune(olderThan: retention, maxBatches: 10)
                    if pruned > 0 { logger.info("pruned \(pruned) finished jobs older than \(retention)") }
                }
            } catch {
                logger.warning("maintenance failed: \(String(reflecting: error))")
            }
        }
    }

    // MARK: Notifications

    private func listen() async {
        let queues = Set(configuration.queues)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: database.connection, id: Int.random(in: 1...Int.max), logger: logger)
                do {
                    try await listen(on: connection, queues: queues)
                } catch {
                    // Closed before it is let go, failure included: when the server dies mid-LISTEN, a connection
                    // released while its channel is still open trips PostgresNIO's "deinitialized before being
                    // closed" assertion, which killed a debug-built worker in about one DatabaseOutageTests run in five.
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
                logger.warning("LISTEN connection lost, polling until it is back: \(String(reflecting: error))")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Wakes the claim loop on new work and cancels runs on request, for as long as `connection` lasts.
    private func listen(on connection: PostgresConnection, queues: Set<String>) async throws {
        try await withTaskCancellationHandler {
            try await connection.listen(on: JobQueue.jobsChannel) { jobs in
                try await connection.listen(on: JobQueue.cancelChannel) { cancels in
                    // Anything queued while we were not listening is claimed now.
                    self.noteWork()
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await note in jobs where queues.contains(note.payload) { self.noteWork() }
                        }
                        group.addTask {
                            for try await note in cancels {
                                if let id = Int64(note.payload) { self.running.cancel(jobID: id, reason: .requested) }
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
            }
        } onCancel: {
            Task { try? await connection.close() }
        }
    }

    private func noteWork() {
        flags.withLock { $0.mayHaveWork = true }
        wake.signal()
    }
    /// The deadline of the worker's own database calls (claim, write-back, heartbeat). A call waiting on a pool that
    /// is reconnecting after an outage may otherwise never return, and the worker would stop claiming for good; past
    /// it the call fails like any other and the loop retries.
    static let databaseDeadlineSeconds = 30.0

    static func bounded<T: Sendable>(seconds: Double = databaseDeadlineSeconds, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await DatabaseAvailability.withDeadline(seconds: seconds, body)
    }

    /// How a failed attempt's error reads in the job's record. A full disk says so plainly, with the file, instead of
    /// Foundation's NSError dump, since that is what the operator has to act on.
    static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
        let outOfSpace = (nsError.domain == NSCocoaErrorDomain && nsError.code == CocoaError.fileWriteOutOfSpace.rawValue)
            || (nsError.domain == NSPOSIXErrorDomain && nsError.code == Int(ENOSPC))
            || (underlying?.domain == NSPOSIXErrorDomain && underlying?.code == Int(ENOSPC))
        guard outOfSpace else { return String(describing: error) }
        let path = (nsError.userInfo[NSFilePathErrorKey] as? String).map { " writing \($0)" } ?? ""
        return "no space left on device\(path): the worker's disk is full; free space there or give the worker another --data-dir"
    }
}

/// Why a worker could not start.
public enum WorkerError: Error, CustomStringConvertible {
    /// The configuration has these problems.
    case invalidConfiguration([String])

    public var description: String {
        switch self {
        case .invalidConfiguration(let problems): "invalid worker configuration: " + problems.joined(separator: "; ")
        }
    }

}
