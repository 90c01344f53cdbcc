import Foundation
import Logging
import PostgresNIO
import SkyCore
import SkyJobs
import SkyStore
import SkyTestSupport
import SkyWorker
import Synchronization
import Testing

/// An executor whose runs take `finishAfter`, to test what happens to jobs in flight.
struct GateExecutor: JobExecutor {
    let kind = JobKind.sleep
    let finishAfter: Duration

    func run(_ context: JobContext) async throws -> JSONValue? {
        context.log("gate run of job \(context.jobID) attempt \(context.attempt)")
        context.metric("ticks", step: 1, value: 1)
        try await Task.sleep(for: finishAfter)
        return .string("finished attempt \(context.attempt)")
    }
}

/// Runs `body` while `worker` runs, then shuts it down gracefully and waits for it.
func withWorker(_ worker: Worker, _ body: () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await worker.run() }
        do {
            try await body()
        } catch {
            worker.shutdown()
            throw error
        }
        worker.shutdown()
        try await group.waitForAll()
    }
}

func makeWorker(_ db: TestDatabase, id: String = "worker", executors: [any JobExecutor] = [SleepExecutor()], slots: Int = 4,
                lease: Duration = .seconds(30), grace: Duration = .seconds(5), retry: any RetryPolicy = ExponentialBackoff()) async throws -> Worker {
    let configuration = WorkerConfiguration(
        id: id, slots: slots, lease: lease, pollInterval: .milliseconds(200), telemetryInterval: .milliseconds(50),
        shutdownGrace: grace, maintenanceInterval: .milliseconds(200),
        scratchDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("sky-worker-tests-\(db.name)"), retryPolicy: retry)
    return Worker(configuration: configuration, queue: db.queue,
                  database: try await TestPostgres.shared.cluster().databaseConfiguration(database: db.name),
                  executors: ExecutorRegistry(executors))
}

/// Connections to the test database whose last statement was a LISTEN (a worker's notification connection).
func listeningConnections(_ db: TestDatabase) async throws -> Int {
    let rows = try await db.client.query(
        "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
    for try await count in rows.decode(Int.self) { return count }
    return 0
}

@Suite struct WorkerTests {
    @Test func aWorkerRunsQueuedJobsAndStoresTheirOutputs() async throws {
        try await withTestDatabase { db in
            let worker = try await makeWorker(db)
            try await withWorker(worker) {
                let jobs = try await db.queue.submitMany((0..<20).map { JobSubmission.sleep(extra: ["output": .number(Double($0))]) })
                let done = try await eventually { try await db.queue.countsByState()[.succeeded] == 20 }
                #expect(done)
                #expect(try await db.queue.job(jobs[7].id).result == .number(7))
            }
        }
    }

    @Test func anIdleWorkerWakesOnNotifyFasterThanItPolls() async throws {
        try await withTestDatabase { db in
            var configuration = try await makeWorker(db).configuration
            configuration.pollInterval = .seconds(300)
            let worker = Worker(configuration: configuration, queue: db.queue,
                                database: try await TestPostgres.shared.cluster().databaseConfiguration(database: db.name),
                                executors: ExecutorRegistry([SleepExecutor()]))
            try await withWorker(worker) {
                // Submit only once the worker's LISTEN is in place (seen from the server's side), so the
                // test measures the wake-up, not how fast the worker started on a loaded machine.
                let listening = try await eventually { try await listeningConnections(db) > 0 }
                #expect(listening)
                let job = try await db.queue.submit(.sleep())
                // Well under the 300 s poll interval, so only the notification can have woken it; generous,
                // because CPU-bound tests running beside this one can hold the cooperative threads for a while.
                let reached1 = try await eventually(timeout: .seconds(90)) { try await db.queue.job(job.id).state == .succeeded }
                #expect(reached1)
            }
        }
    }

    @Test func aKilledWorkersJobIsRerunAfterItsLeaseExpiresAndSucceedsOnAttemptTwo() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            // A worker claims it and dies: nothing more is heard from it.
            let orphan = try await db.queue.claim(for: .test("killed"), limit: 1, lease: .milliseconds(500))
            #expect(orphan.first?.attempt == 1)
            let survivor = try await makeWorker(db, id: "survivor")
            try await withWorker(survivor) {
                let reached2 = try await eventually { try await db.queue.job(job.id).state == .succeeded }
                #expect(reached2)
            }
            let record = try await db.queue.job(job.id)
            #expect(record.attempt == 2 && record.attemptsUsed == 2 && record.workerID == "survivor")
        }
    }

    @Test func failingAttemptsAreRetriedWithBackoffUntilTheySucceed() async throws {
        try await withTestDatabase { db in
            // Fails on the first two rolls, succeeds on the third.
            let rolls = Mutex([0.0, 0.0, 0.9])
            let executor = SleepExecutor(random: { rolls.withLock { $0.removeFirst() } })
            let policy = ExponentialBackoff(cap: .milliseconds(300), jitter: 0)
            let worker = try await makeWorker(db, executors: [executor], retry: policy)
            try await withWorker(worker) {
                let job = try await db.queue.submit(.sleep(maxAttempts: 3, extra: ["failureProbability": .number(0.5)]))
                let reached3 = try await eventually { try await db.queue.job(job.id).state == .succeeded }
                #expect(reached3)
                let events = try await db.queue.events(of: job.id)
                #expect(events.map(\.to) == [.queued, .running, .queued, .running, .queued, .running, .succeeded])
                #expect(events[2].reason?.hasPrefix("retry in") == true)
                let logs = try await db.queue.logs(of: job.id)
                #expect(logs.filter { $0.level == "error" }.map(\.token.attempt) == [1, 2])
            }
        }
    }

    @Test func aPermanentFailureIsNotRetried() async throws {
        try await withTestDatabase { db in
            let worker = try await makeWorker(db, executors: [SleepExecutor(random: { 0 })])
            try await withWorker(worker) {
                let job = try await db.queue.submit(.sleep(maxAttempts: 5, extra: ["failureProbability": .number(1), "failPermanently": .bool(true)]))
                let reached4 = try await eventually { try await db.queue.job(job.id).state == .failed }
                #expect(reached4)
                #expect(try await db.queue.job(job.id).attemptsUsed == 1)
            }
        }
    }

    @Test func cancellingARunningJobStopsItsTask() async throws {
        try await withTestDatabase { db in
            let worker = try await makeWorker(db)
            try await withWorker(worker) {
                let job = try await db.queue.submit(.sleep(600))
                let reached5 = try await eventually { try await db.queue.job(job.id).state == .running }
                #expect(reached5)
                try await db.queue.cancel(job.id)
                // Generous: CPU-heavy suites running beside this one can starve the cooperative pool for seconds.
                let reached6 = try await eventually(timeout: .seconds(60)) { try await db.queue.job(job.id).state == .cancelled }
                #expect(reached6)
                #expect(worker.runningCount == 0)
            }
        }
    }

    @Test func gracefulShutdownLetsShortJobsFinishAndHandsLongOnesBack() async throws {
        try await withTestDatabase { db in
            let quick = GateExecutor(finishAfter: .milliseconds(300))
            let worker = try await makeWorker(db, executors: [quick], slots: 2, grace: .seconds(10))
            let short = try await db.queue.submit(.sleep(maxAttempts: 1))
            try await withWorker(worker) {
                let reached7 = try await eventually { try await db.queue.job(short.id).state == .running }
                #expect(reached7)
            }
            #expect(try await db.queue.job(short.id).state == .succeeded)

            let slow = GateExecutor(finishAfter: .seconds(600))
            let second = try await makeWorker(db, id: "second", executors: [slow], slots: 2, grace: .milliseconds(300))
            let long = try await db.queue.submit(.sleep(maxAttempts: 1))
            try await withWorker(second) {
                let reached8 = try await eventually { try await db.queue.job(long.id).state == .running }
                #expect(reached8)
            }
            let handedBack = try await db.queue.job(long.id)
            #expect(handedBack.state == .queued && handedBack.attemptsUsed == 0 && handedBack.attempt == 1)
            #expect(try await db.queue.events(of: long.id).last?.reason == "worker second shutting down")
            #expect(try await db.queue.logs(of: long.id).map(\.message) == ["gate run of job \(long.id) attempt 1"])
        }
    }

    @Test func aWorkerThatLostItsLeaseStopsItsRunAndDoesNotOverwriteTheNextAttempt() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            // A 3-s lease (heartbeat every second): a 1-s one could expire on a loaded host and be reclaimed before
            // the "thief" takes it. The run would end by itself only after 10 minutes, so a run that ends within
            // `eventually`'s 2 minutes was stopped by the lost lease.
            let worker = try await makeWorker(db, executors: [GateExecutor(finishAfter: .seconds(600))], lease: .seconds(3))
            try await withWorker(worker) {
                let running = try await eventually { try await db.queue.job(job.id).state == .running }
                #expect(running)
                // What another worker's claim after an expired lease does: a new attempt under a new owner.
                try await db.client.query(
                    """
                    UPDATE jobs SET attempt = attempt + 1, worker_id = 'thief', lease_expires_at = now() + interval '1 hour',
                                    transition_reason = 'claimed after the previous lease expired'
                    WHERE id = \(job.id) AND state = 'running'
                    """)
                // The first worker's next heartbeat sees the loss and cancels its run.
                let stopped = try await eventually { worker.runningCount == 0 }
                #expect(stopped)
            }
            let now = try await db.queue.job(job.id)
            #expect(now.state == .running && now.workerID == "thief" && now.attempt == 2 && now.result == nil)
            #expect(try await db.queue.events(of: job.id).last?.to == .running)
        }
    }

    @Test func aWorkerOutlivesItsListenConnectionBeingKilledAgainAndAgain() async throws {
        try await withTestDatabase { db in
            let worker = try await makeWorker(db)
            try await withWorker(worker) {
                // The server ending the connection under a LISTEN (as when PostgreSQL is killed or restarted) once
                // crashed a debug-built worker now and then, on PostgresNIO's assertion that a connection is closed
                // before it is released; twenty times in a row made that a near certainty.
                for round in 1...20 {
                    let listening = try await eventually(timeout: .seconds(30)) { try await listeningConnections(db) > 0 }
                    try #require(listening, "the worker did not listen again after round \(round - 1)")
                    try await db.client.query(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")
                }
                let job = try await db.queue.submit(.sleep())
                let ran = try await eventually(timeout: .seconds(60)) { try await db.queue.job(job.id).state == .succeeded }
                #expect(ran)
            }
        }
    }

    @Test func aWorkerWhoseHeartbeatsGetNoAnswerStopsItsRunWhenItsLeaseEnds() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            let lease = Duration.seconds(3)
            let worker = try await makeWorker(db, executors: [GateExecutor(finishAfter: .seconds(600))], lease: lease)
            try await withWorker(worker) {
                let running = try await eventually { try await db.queue.job(job.id).state == .running }
                #expect(running)
                // A lock on the job's row holds every heartbeat (an UPDATE of it) with neither an answer nor an error,
                // as a network that silently drops packets does: only the worker's own clock can tell it the lease is
                // gone. Waiting on the heartbeat instead would end at the 30-s database deadline, past this test's 20 s.
                let logger = Logger(label: "sky.test.lock")
                try await db.client.withConnection { connection in
                    try await connection.query("BEGIN", logger: logger)
                    try await connection.query("SELECT 1 FROM jobs WHERE id = \(job.id) FOR UPDATE", logger: logger)
                    let locked = ContinuousClock.now
                    let stopped = try await eventually(timeout: .seconds(20)) { worker.runningCount == 0 }
                    let waited = ContinuousClock.now - locked
                    try await connection.query("ROLLBACK", logger: logger)
                    #expect(stopped, "the run went on \(waited) after its heartbeats stopped getting through (lease \(lease))")
                    #expect(waited < lease * 3, "stopped \(waited) after the heartbeats stopped getting through (lease \(lease))")
                }
            }
            #expect(try await db.queue.job(job.id).result == nil)
        }
    }
}
