import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import SkyCore
import SkyJobs
import SkyStore
import SkyWorker

/// `skyctl bench queue`: like River's `river bench`. Enqueues sleep-0 jobs, drains them with in-process
/// workers and reports jobs/s; then, with the workers idle, submits jobs one at a time and reports the
/// enqueue→start latency. Talks to the database directly (no API needed).
struct QueueBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue",
        abstract: "Measure queue throughput (jobs/s drained) and enqueue→start latency."
    )

    @Option(help: "Jobs to enqueue and drain in the throughput phase.")
    var jobs = 20_000

    @Option(help: "Workers draining the queue (in this process, like separate hosts sharing the database).")
    var workers = 2

    @Option(help: "Slots per worker (jobs in flight per worker).")
    var slots = 200

    @Option(help: "Most jobs claimed per statement.")
    var claimBatch = 200

    @Option(help: "Jobs submitted one by one in the latency phase.")
    var latencyJobs = 500

    @Option(help: "Pause between latency-phase submissions, in milliseconds.")
    var latencyIntervalMs = 10

    @Option(help: "Repeat the throughput phase this many times and report each and the median.")
    var rounds = 3

    @Option(help: "Finished jobs to insert first, to show claiming stays fast beside a large history.")
    var finishedRows = 0

    @Option(help: "PostgreSQL URL; default: a throwaway embedded cluster with durable commits, removed afterwards.")
    var databaseURL: String?

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        var logger = Logger(label: "sky.bench")
        logger.logLevel = .warning
        let scratch = URL(fileURLWithPath: "/tmp/sky-bench-\(ProcessInfo.processInfo.processIdentifier)")
        let database: SkyDatabase
        if let databaseURL {
            database = try SkyDatabase.open(url: databaseURL, dataDirectory: nil, logger: logger)
        } else {
            // Durable, like production: fsync and synchronous_commit stay on.
            let server = try EmbeddedPostgres(options: EmbeddedPostgres.Options(dataDirectory: scratch), logger: logger)
            try server.start()
            database = SkyDatabase(configuration: server.databaseConfiguration(), embedded: server)
        }
        defer {
            try? database.close()
            if databaseURL == nil { try? FileManager.default.removeItem(at: scratch) }
        }
        let report = try await database.withClient(maxConnections: workers * 4 + 4) { client in
            try await Migrator(client: client, logger: logger).migrate()
            return try await measure(client: client, database: database.configuration, logger: logger)
        }
        print(json ? report.json : report.text)
    }

    private func measure(client: PostgresClient, database: DatabaseConfiguration, logger: Logger) async throws -> QueueBenchReport {
        let queue = JobQueue(client: client, logger: logger)
        let experiment = "bench-\(UUID().uuidString.prefix(8))"
        var report = QueueBenchReport(
            jobs: jobs, workers: workers, slots: slots, claimBatch: claimBatch, durability: try await queue.durabilitySettings())
        report.finishedRows = finishedRows
        let clock = ContinuousClock()
        if finishedRows > 0 {
            try await queue.fillWithFinishedJobs(count: finishedRows, experiment: "\(experiment)-history")
        }

        for round in 1...rounds {
            // Enqueue first, then start the workers, as River's bench does: the round times draining only.
            let name = "\(experiment)-r\(round)"
            let job = JobSubmission(kind: .sleep, spec: .object([:]), queue: name, maxAttempts: 1, experiment: name)
            for start in stride(from: 0, to: jobs, by: 5000) {
                _ = try await queue.submitMany(Array(repeating: job, count: min(5000, jobs - start)))
            }
            if round == 1 {
                // The plan with a full queue beside the history, as the first claim of the round sees it.
                report.claimPlan = try await queue.explainClaim(
                    for: WorkerIdentity(id: "explain", queues: [name], kinds: [.sleep], capabilities: WorkerCapabilities()),
                    limit: claimBatch, analyze: true)
            }
            let began = clock.now
            try await withWorkers(queue: name, client: client, database: database, logger: logger) {
                while try await queue.countsByState(experiment: name)[.succeeded, default: 0] < jobs {
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let wall = clock.now - began
            let timings = try await queue.timings(experiment: name)
            let first = timings.compactMap(\.startedAt).min() ?? Date()
            let last = timings.compactMap(\.finishedAt).max() ?? Date()
            report.rounds.append(.init(
                wallSeconds: wall.seconds, jobsPerSecond: Double(jobs) / last.timeIntervalSince(first),
                dbSpanSeconds: last.timeIntervalSince(first)))
        }

        // Latency: workers idle on LISTEN, jobs submitted one at a time.
        let name = "\(experiment)-latency"
        let job = JobSubmission(kind: .sleep, spec: .object([:]), queue: name, maxAttempts: 1, experiment: name)
        try await withWorkers(queue: name, client: client, database: database, logger: logger) {
            try await Task.sleep(for: .milliseconds(500))
            for _ in 0..<latencyJobs {
                _ = try await queue.submit(job)
                try await Task.sleep(for: .milliseconds(latencyIntervalMs))
            }
            while try await queue.countsByState(experiment: name)[.succeeded, default: 0] < latencyJobs {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        let latencies = try await queue.timings(experiment: name).compactMap { timing in
            timing.startedAt.map { $0.timeIntervalSince(timing.createdAt) * 1000 }
        }
        report.latencyMs = Percentiles(latencies)
        report.latencyCount = latencies.count
        return report
    }

    /// Runs `body` while `workers` workers serve `queue`, then shuts them down gracefully.
    private func withWorkers(
        queue name: String, client: PostgresClient, database: DatabaseConfiguration, logger: Logger,
        _ body: () async throws -> Void
    ) async throws {
        let queue = JobQueue(client: client, logger: logger)
        let pool = (0..<workers).map { index in
            Worker(
                configuration: WorkerConfiguration(
                    id: "\(name)-worker-\(index)", queues: [name], slots: slots, lease: .seconds(30),
                    pollInterval: .seconds(1), claimBatchSize: claimBatch, telemetryInterval: .milliseconds(100),
                    shutdownGrace: .seconds(5), maintenanceInterval: .seconds(3600),
                    scratchDirectory: URL(fileURLWithPath: "/tmp/sky-bench-scratch")),
                queue: queue, database: database, executors: ExecutorRegistry([SleepExecutor()]), logger: logger)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in pool { group.addTask { try await worker.run() } }
            do {
                try await body()
            } catch {
                group.cancelAll()
                throw error
            }
            for worker in pool { worker.shutdown() }
            try await group.waitForAll()
        }
    }
}

extension Duration {
    /// Seconds as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
