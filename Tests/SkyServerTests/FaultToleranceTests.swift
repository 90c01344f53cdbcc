import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// The chaos scenarios on the real binaries (`skyd serve`, `skyd worker` processes, PostgreSQL): here a quick
/// experiment with two workers, one killed with SIGKILL in the middle of a train job; the other scenarios extend this
/// suite in their own files.
///
/// One scenario at a time (serialized), since each times leases and outages in seconds. Processes training at once for
/// a minute or more would starve the rest of the suite on a small machine (its API tests have 10-second database
/// deadlines), so the suite runs on its own, after the rest of `make test` or alone with `make test-faults`
/// (SKY_FAULT_TESTS=1).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["SKY_FAULT_TESTS"] == "1", "make test and make test-faults run it after the rest"))
struct FaultToleranceTests {
    /// Long enough a pretraining (150 steps, a checkpoint every 5) to be caught in the middle.
    static let experiment: JSONValue = .object([
        "experiment": .string("fault-tolerance"),
        "baseModel": .object([
            "init": .object(["preset": .string("tiny"), "vocabSize": .number(300)]),
            "pretrain": .object([
                "dataset": .object(["synthetic": .object(["count": .number(150), "demonstrations": .string("short")])]),
                "optimization": .object(["epochs": .number(1), "microBatchSize": .number(1), "learningRate": .number(0.003)]),
                "sequences": .object(["maxLength": .number(96)]), "threads": .number(1), "checkpointEvery": .number(5),
            ]),
        ]),
        "dataset": .object(["synthetic": .object(["count": .number(4)])]),
        "train": .object(["mode": .string("full"), "optimization": .object(["epochs": .number(1), "microBatchSize": .number(4)]),
                          "sequences": .object(["maxLength": .number(192)]), "threads": .number(1)]),
        "variants": .array([.object(["name": .string("correct")]),
                            .object(["name": .string("shuffle 100%"), "perturbations": .array([.object(["type": .string("shuffle")])])])]),
        "benchmarks": .array([.object(["synthetic": .object(["perLevel": .number(1)])])]),
        "sampling": .object(["maxNewTokens": .number(4)]),
        "eval": .object(["batchSize": .number(8), "threads": .number(1), "prompt": .object(["template": .string("boxed")])]),
        "quick": .array([.string("base"), .string("correct"), .string("shuffle 100%")]),
    ])

    @Test func killingAWorkerMidTrainResumesTheJobFromItsCheckpoint() async throws {
        try await withTestDatabase { db in
            try await withSkyd(database: db.name) { skyd in
                let api = FaultAPI(url: skyd.url, token: skyd.token)
                var workers: [Process] = []
                for index in 0..<2 { workers.append(try await startWorker(database: db.name, index: index)) }
                defer { for worker in workers where worker.isRunning { worker.terminate(); worker.waitUntilExit() } }

                let plan = try await api.send(.POST, "/v1/experiments?quick=true", body: Self.experiment)
                let pretrain = try #require(plan["jobs"]?[0]?["id"]?.numberValue.map(Int64.init))
                let caught = try await eventually(timeout: .seconds(120)) { try await api.hasCheckpoint(pretrain) }
                let job = try await api.send(.GET, "/v1/jobs/\(pretrain)")
                try #require(caught && job["state"] == .string("running"), "the pretraining finished before a checkpoint was seen: \(job)")
                let owner = try #require(job["workerId"]?.stringValue)
                let victim = try #require(workers.first { owner.contains("-\($0.processIdentifier)-") })
                kill(victim.processIdentifier, SIGKILL)
                victim.waitUntilExit()

                let done = try await eventually(timeout: .seconds(300)) {
                    let detail = try await api.send(.GET, "/v1/experiments/fault-tolerance")
                    guard case .array(let jobs)? = detail["jobs"] else { return false }
                    return jobs.allSatisfy { ["succeeded", "failed", "cancelled"].contains($0["state"]?.stringValue ?? "") }
                }
                #expect(done)
                let detail = try await api.send(.GET, "/v1/experiments/fault-tolerance")
                let failures: [String] = {
                    guard case .array(let jobs)? = detail["jobs"] else { return [] }
                    return jobs.filter { $0["state"] != .string("succeeded") }.map { "\($0["name"] ?? .null): \($0["error"] ?? .null)" }
                }()
                #expect(failures.isEmpty, "\(failures)")

                let resumed = try await api.send(.GET, "/v1/jobs/\(pretrain)")
                #expect(resumed["attempt"] == .number(2) && resumed["state"] == .string("succeeded"))
                #expect((resumed["result"]?["summary"]?["resumedFromStep"]?.numberValue ?? 0) >= 5, "\(resumed["result"] ?? .null)")
                guard case .array(let jobs)? = detail["jobs"] else { return }
                for job in jobs {
                    let id = Int64(job["id"]?.numberValue ?? 0)
                    guard case .array(let events)? = try await api.send(.GET, "/v1/jobs/\(id)/events")["events"] else { continue }
                    let starts = events.filter { $0["to"] == .string("running") }.compactMap { $0["attempt"]?.numberValue }
                    #expect(Set(starts).count == starts.count, "job \(id) ran twice at one attempt: \(starts)")
                    if id == pretrain { #expect(starts == [1, 2]) }
                }
            }
        }
    }
}

/// A worker frozen (SIGSTOP) past its lease while its job runs: the job runs again at the next attempt on another
/// worker, and when the frozen one wakes (SIGCONT) the fence refuses its late completion; the job succeeds once, at
/// attempt 2, and the woken worker carries on.
extension FaultToleranceTests {
    @Test func aWorkerFrozenPastItsLeaseCannotCompleteTheJobItLost() async throws {
        try await withTestDatabase { db in
            try await withSkyd(database: db.name) { skyd in
                let api = FaultAPI(url: skyd.url, token: skyd.token)
                let frozen = try await startWorker(database: db.name, index: 0, kinds: "[sleep]")
                var workers = [frozen]
                defer {
                    kill(frozen.processIdentifier, SIGCONT)
                    for worker in workers where worker.isRunning { worker.terminate(); worker.waitUntilExit() }
                }
                let submitted = try await api.send(.POST, "/v1/jobs", body: .object([
                    "kind": .string("sleep"), "spec": .object(["durationSeconds": .number(6)]), "maxAttempts": .number(3),
                ]))
                let id = try #require(submitted["id"]?.numberValue.map(Int64.init))
                let onFirst = try await eventually(timeout: .seconds(60)) {
                    let job = try await api.send(.GET, "/v1/jobs/\(id)")
                    return job["state"] == .string("running") && (job["workerId"]?.stringValue ?? "").contains("-\(frozen.processIdentifier)-")
                }
                try #require(onFirst, "the first worker never started the job")

                let stopped = ContinuousClock.now
                kill(frozen.processIdentifier, SIGSTOP)
                workers.append(try await startWorker(database: db.name, index: 1, kinds: "[sleep]"))
                let takenOver = try await eventually(timeout: .seconds(60)) {
                    let job = try await api.send(.GET, "/v1/jobs/\(id)")
                    return job["attempt"] == .number(2) && job["state"] == .string("running")
                }
                try #require(takenOver, "no other worker took the job over")
                print("frozen worker: attempt 2 running \(ContinuousClock.now - stopped) after SIGSTOP (lease 3 s)")
                // Woken while attempt 2 still runs: its own sleep is long over, so it tries to complete at once.
                kill(frozen.processIdentifier, SIGCONT)

                let finished = try await eventually(timeout: .seconds(60)) {
                    try await api.send(.GET, "/v1/jobs/\(id)")["state"] == .string("succeeded")
                }
                #expect(finished)
                let job = try await api.send(.GET, "/v1/jobs/\(id)")
                #expect(job["attempt"] == .number(2) && !(job["workerId"]?.stringValue ?? "").contains("-\(frozen.processIdentifier)-"),
                        "\(job)")
                guard case .array(let events)? = try await api.send(.GET, "/v1/jobs/\(id)/events")["events"] else {
                    Issue.record("no events")
                    return
                }
                let starts = events.filter { $0["to"] == .string("running") }.compactMap { $0["attempt"]?.numberValue }
                let successes = events.filter { $0["to"] == .string("succeeded") }.compactMap { $0["attempt"]?.numberValue }
                #expect(starts == [1, 2] && successes == [2], "\(events)")
                try await Task.sleep(for: .seconds(2))
                #expect(frozen.isRunning, "the woken worker should carry on, not crash")
            }
        }
    }
}

/// Bearer-token JSON requests to a live skyd.
struct FaultAPI {
    let url: String
    let token: String

    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil) async throws -> JSONValue {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.encoded()))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return (try? JSONValue.parse(Data(bytes.readableBytesView))) ?? .null
    }

    /// Whether job `id` has stored a checkpoint artifact.
    func hasCheckpoint(_ id: Int64) async throws -> Bool {
        guard case .array(let items)? = try await send(.GET, "/v1/jobs/\(id)/artifacts")["artifacts"] else { return false }
        return items.contains { $0["kind"] == .string("checkpoint") }
    }
}

/// `skyd worker` (built beside the test binary) on the test database, one slot, a 3-second lease so a killed
/// worker's job is taken over quickly.
func startWorker(database: String, index: Int, kinds: String = "[perturb, train, eval]") async throws -> Process {
    try await startWorker(databaseURL: try await testDatabaseURL(database), index: index, kinds: kinds)
}

/// `skyd worker` on the database at `databaseURL`, its data (and scratch) in `dataDirectory` when given, inside the
/// network namespace `namespace` when given (`ip netns exec`, which execs, so the pid is the worker's) and there under
/// the host name `hostname` when given, its log to `standardError` when given; see `startWorker(database:index:kinds:)`.
func startWorker(databaseURL: String, index: Int, kinds: String = "[perturb, train, eval]", dataDirectory: URL? = nil,
                 namespace: String? = nil, hostname: String? = nil, standardError: FileHandle? = nil) async throws -> Process {
    let binary = try builtSkyd()
    // The pool file goes in the given data directory, which the caller removes; only a made-up one is left behind.
    let home = dataDirectory ?? URL(fileURLWithPath: "/tmp/sky-fault-\(getpid())-\(index)-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    let pool = home.appendingPathComponent("pool.yaml")
    try Data("""
        workers: 1
        queues: [default]
        kinds: \(kinds)
        slots: 1
        backend: blas
        threads: 1
        leaseSeconds: 3
        pollSeconds: 1
        shutdownGraceSeconds: 1
        """.utf8).write(to: pool)
    let process = Process()
    let arguments = [
        "worker", "--database-url", databaseURL, "--config", pool.path, "--data-dir", home.path,
        "--log-level", "warning",
    ]
    if let namespace {
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/ip")
        // A UTS namespace of its own, so the name is the worker's alone; unshare and sh exec too, keeping the pid.
        let renamed = hostname.map { ["/usr/bin/unshare", "--uts", "/bin/sh", "-c", "hostname \"$0\" && exec \"$@\"", $0] } ?? []
        process.arguments = ["netns", "exec", namespace] + renamed + [binary.path] + arguments
    } else {
        process.executableURL = binary
        process.arguments = arguments
    }
    if let standardError { process.standardError = standardError }
    try process.run()
    return process
}
