import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Synchronization
import Testing

/// Chaos scenario d: a network partition between one worker host and the database, longer than the lease. The worker
/// runs in a network namespace of its own, joined to the database's by a veth pair, and reaches PostgreSQL over TCP;
/// a second worker and `skyd serve` stay in the root namespace. The partition drops every packet both ways (a
/// zero-length queue on each end of the pair), so the cut-off worker sees neither answers nor errors, as on a real
/// network. Its train job runs again on the other worker at the next attempt; the cut-off worker stops its run once
/// its lease has passed without a heartbeat getting through; and when the link returns its late writes (buffered
/// metrics and logs, a checkpoint upload) are refused by the attempt fence, which the rows show.
extension FaultToleranceTests {
    /// Long enough a training run (a checkpoint every 2 steps) to be caught in the middle and outlast the partition.
    static let partitionTrainSpec: JSONValue = .object([
        "baseModel": .object(["init": .object(["preset": .string("tiny"), "vocabSize": .number(300)])]),
        "dataset": .object(["synthetic": .object(["count": .number(32), "demonstrations": .string("short")])]),
        "mode": .string("full"), "threads": .number(1), "checkpointEvery": .number(2),
        "optimization": .object(["maxSteps": .number(60), "microBatchSize": .number(1)]),
        "sequences": .object(["maxLength": .number(96)]),
    ])

    // Bounded, so a run that never frees its slot fails the suite instead of hanging it (a checkpoint upload once did).
    @Test(.timeLimit(.minutes(4))) func aWorkerPartitionedFromTheDatabasePastItsLeaseStopsAndCannotWriteWhenTheLinkReturns() async throws {
        let network: NetworkNamespace
        do {
            network = try NetworkNamespace.create()
        } catch {
            // Said loudly rather than passed: this scenario needs root (CI and `make test` run as root).
            Issue.record("cannot make a network namespace joined by a veth pair (not root?): network-partition scenario not run: \(error)")
            return
        }
        defer { network.remove() }

        let directory = URL(fileURLWithPath: "/tmp/sky-partition-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        defer { try? FileManager.default.removeItem(at: directory) }
        // initdb's own pg_hba.conf trusts only the socket and loopback; the namespace's address must get in too.
        let hba = directory.appendingPathComponent("pg_hba.conf")
        try Data("local all all trust\nhost all all \(network.subnet) trust\nhost all all 127.0.0.1/32 trust\n".utf8).write(to: hba)
        chmod(hba.path, 0o644)
        var options = EmbeddedPostgres.Options(dataDirectory: directory.appendingPathComponent("db"))
        options.port = Int.random(in: 40_000...44_000)
        options.durable = false
        // Every write statement is logged with its parameters and the client's address, so the test can see what the
        // cut-off worker sent once the link returned, not only that none of it got in.
        options.settings = ["listen_addresses": network.hostAddress, "hba_file": hba.path, "log_statement": "mod",
                            "log_line_prefix": "%m [%p] %r "]
        let database = try EmbeddedPostgres(options: options)
        try database.start()
        defer { try? database.stop() }
        let socketURL = "postgresql://\(EmbeddedPostgres.username)@/\(EmbeddedPostgres.database)?host=\(database.socketDirectory.path)&port=\(options.port)"
        let tcpURL = "postgresql://\(EmbeddedPostgres.username)@\(network.hostAddress):\(options.port)/\(EmbeddedPostgres.database)?sslmode=disable"

        try await withRunningClient(PostgresClient(configuration: database.clientConfiguration())) { sql in
            try await withSkyd(databaseURL: socketURL) { skyd in
                let api = FaultAPI(url: skyd.url, token: skyd.token)
                let logFile = directory.appendingPathComponent("partitioned-worker.log")
                _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
                let logHandle = try FileHandle(forWritingTo: logFile)
                defer { try? logHandle.close() }
                let cutOff = try await startWorker(databaseURL: tcpURL, index: 0, kinds: "[train, sleep]", namespace: network.name,
                                                   standardError: logHandle)
                var workers = [cutOff]
                let streaming = RunningFlag()
                defer {
                    streaming.turnOff()
                    network.heal()
                    for worker in workers where worker.isRunning { worker.terminate(); worker.waitUntilExit() }
                }

                let train = try await api.send(.POST, "/v1/jobs", body: .object([
                    "kind": .string("train"), "maxAttempts": .number(3), "spec": Self.partitionTrainSpec,
                ]))
                let trainID = try #require(train["id"]?.numberValue.map(Int64.init), "\(train)")
                let checkpointed = try await eventually(timeout: .seconds(120)) { try await api.hasCheckpoint(trainID) }
                let before = try await api.send(.GET, "/v1/jobs/\(trainID)")
                try #require(checkpointed && before["state"] == .string("running"), "no checkpoint seen while the job ran on the namespaced worker: \(before)")
                let cutOffID = try #require(before["workerId"]?.stringValue)
                try #require(cutOffID.contains("-\(cutOff.processIdentifier)-"), "the job ran on \(cutOffID), not the namespaced worker")

                // The other worker, and short jobs submitted every 250 ms from now until 8 s after the link returns.
                workers.append(try await startWorker(databaseURL: socketURL, index: 1, kinds: "[train, sleep]"))
                let stream = Task { () -> [(status: Int, id: Int64?)] in
                    var results: [(status: Int, id: Int64?)] = []
                    while streaming.isOn {
                        results.append(await Self.submitSleep(skyd))
                        try? await Task.sleep(for: .milliseconds(250))
                    }
                    return results
                }
                let otherUp = try await eventually(timeout: .seconds(60)) {
                    try await Self.count(sql, "SELECT count(*)::int FROM jobs WHERE kind = 'sleep' AND state = 'succeeded'") > 0
                }
                try #require(otherUp, "the second worker never ran a job")

                let cutAt = ContinuousClock.now
                let cutTime = try await Self.databaseNow(sql)
                try network.cut()
                // Both watched at once, each timed from the cut, until both are seen or the link is about to return.
                var stoppedAfter: Duration?
                var takenOverAfter: Duration?
                while stoppedAfter == nil || takenOverAfter == nil, ContinuousClock.now < cutAt + .seconds(11) {
                    let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
                    if stoppedAfter == nil, log.contains("job \(trainID) attempt 1: no heartbeat reached the database") {
                        stoppedAfter = ContinuousClock.now - cutAt
                    }
                    let job = try await api.send(.GET, "/v1/jobs/\(trainID)")
                    if takenOverAfter == nil, job["attempt"] == .number(2), job["workerId"]?.stringValue != cutOffID {
                        takenOverAfter = ContinuousClock.now - cutAt
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                let stopped = stoppedAfter != nil
                let takenOver = takenOverAfter != nil
                #expect(stopped, "the cut-off worker did not stop its run while partitioned (lease 3 s, partition 12 s)")
                #expect((stoppedAfter ?? .seconds(99)) < .seconds(6), "the cut-off worker stopped its run only \(Self.seconds(stoppedAfter)) after the cut (lease 3 s)")
                #expect(takenOver, "no other worker took the train job over during the partition")
                try await Task.sleep(until: cutAt + .seconds(12), clock: .continuous)
                let restoredAt = ContinuousClock.now
                let restoreTime = try await Self.databaseNow(sql)
                let serverLog = options.dataDirectory.appendingPathComponent("postgres.log")
                let logBeforeRestore = (try? FileManager.default.attributesOfItem(atPath: serverLog.path)[.size] as? Int) ?? 0
                network.heal()

                let back = try await eventually(timeout: .seconds(60)) {
                    try await Self.count(sql, "SELECT count(*)::int FROM workers WHERE id = \(cutOffID) AND heartbeat_at > \(restoreTime)") > 0
                }
                let backAfter = ContinuousClock.now - restoredAt
                #expect(back, "the cut-off worker never heartbeated again after the link returned")
                try await Task.sleep(until: restoredAt + .seconds(8), clock: .continuous)
                streaming.turnOff()
                let results = await stream.value
                let acknowledged = results.compactMap(\.id) + [trainID]

                let done = try await eventually(timeout: .seconds(120)) {
                    try await Self.count(sql, "SELECT count(*)::int FROM jobs WHERE id = ANY(\(acknowledged)::bigint[]) AND state = 'succeeded'") == acknowledged.count
                }
                let completed = try await Self.count(sql, "SELECT count(*)::int FROM jobs WHERE id = ANY(\(acknowledged)::bigint[]) AND state = 'succeeded'")
                #expect(done, "acknowledged jobs that did not succeed: \(acknowledged.count - completed)")
                let startedTwice = try await Self.count(sql, """
                    SELECT count(*)::int FROM (SELECT job_id, attempt FROM job_events WHERE to_state = 'running'
                                               GROUP BY job_id, attempt HAVING count(*) > 1) twice
                    """)
                #expect(startedTwice == 0, "\(startedTwice) jobs started twice at one attempt")

                let job = try await api.send(.GET, "/v1/jobs/\(trainID)")
                #expect(job["state"] == .string("succeeded") && job["attempt"] == .number(2), "\(job)")
                let finishedBy = job["workerId"]?.stringValue ?? cutOffID
                #expect(finishedBy != cutOffID, "\(job)")
                #expect((job["result"]?["summary"]?["resumedFromStep"]?.numberValue ?? 0) >= 2, "\(job["result"] ?? .null)")
                let events = try await Self.rows(sql, "SELECT attempt, to_state, COALESCE(worker_id, '') FROM job_events WHERE job_id = \(trainID) ORDER BY id")
                let starts = events.filter { $0.1 == "running" }.map(\.0)
                let ends = events.filter { $0.1 != "running" && $0.1 != "queued" }.map { "\($0.1) at \($0.0)" }
                #expect(starts == [1, 2] && ends == ["succeeded at 2"], "\(events)")
                #expect(events.allSatisfy { $0.2 != cutOffID || ($0.0 == 1 && $0.1 == "running") }, "the cut-off worker changed the job's state: \(events)")

                // The fence, in the rows: the cut-off worker's run kept writing (metrics each step) until the cut, and
                // what it buffered or had in flight after the cut reached the database only after attempt 2 began.
                let writtenBefore = try await Self.count(sql, "SELECT count(*)::int FROM job_metrics WHERE job_id = \(trainID) AND attempt = 1 AND at <= \(cutTime)")
                let lateMetrics = try await Self.count(sql, "SELECT count(*)::int FROM job_metrics WHERE job_id = \(trainID) AND attempt = 1 AND at > \(cutTime)")
                let lateLogs = try await Self.count(sql, "SELECT count(*)::int FROM job_logs WHERE job_id = \(trainID) AND attempt = 1 AND at > \(cutTime)")
                let lateArtifacts = try await Self.count(sql, "SELECT count(*)::int FROM artifacts WHERE job_id = \(trainID) AND job_attempt = 1 AND completed_at > \(cutTime)")
                let abandoned = try await Self.count(sql, "SELECT count(*)::int FROM artifacts WHERE job_id = \(trainID) AND job_attempt = 1 AND state = 'uploading'")
                let lateSent = try Self.lateWrites(in: serverLog, from: logBeforeRestore, client: network.namespaceAddress, job: trainID, attempt: 1)
                #expect(writtenBefore > 0, "the run wrote no metrics before the cut")
                #expect(lateSent.values.reduce(0, +) > 0, "the cut-off worker sent nothing for attempt 1 after the link returned, so the fence was not put to the test")
                #expect(lateMetrics == 0 && lateLogs == 0 && lateArtifacts == 0,
                        "late writes of attempt 1 got in: \(lateMetrics) metric points, \(lateLogs) log lines, \(lateArtifacts) artifacts")

                // Half-written and visible: a listed artifact whose bytes do not match its size and SHA-256.
                var halfWritten = 0
                var artifactCount = 0
                guard case .array(let artifacts)? = try await api.send(.GET, "/v1/artifacts?limit=200")["artifacts"] else {
                    Issue.record("no artifact listing")
                    return
                }
                for artifact in artifacts {
                    artifactCount += 1
                    let id = Int64(artifact["id"]?.numberValue ?? 0)
                    var download = HTTPClientRequest(url: "\(skyd.url)/v1/artifacts/\(id)/content")
                    download.headers.add(name: "Authorization", value: "Bearer \(skyd.token)")
                    let bytes = try await HTTPClient.shared.execute(download, timeout: .seconds(60)).body.collect(upTo: 256 << 20)
                    let digest = SHA256.hash(data: Data(bytes.readableBytesView)).map { String(format: "%02x", $0) }.joined()
                    if digest != artifact["sha256"]?.stringValue || Double(bytes.readableBytes) != artifact["sizeBytes"]?.numberValue { halfWritten += 1 }
                }
                #expect(halfWritten == 0)
                #expect(cutOff.isRunning, "the cut-off worker should carry on once the link returns")
                let ranAfter = try await Self.count(sql, "SELECT count(*)::int FROM job_events WHERE worker_id = \(cutOffID) AND to_state = 'succeeded' AND at > \(restoreTime)")

                let statuses = Dictionary(grouping: results, by: \.status).mapValues(\.count)
                print("""
                    network partition: \(results.count + 1) jobs submitted (1 train, \(results.count) sleep: \
                    \(statuses.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))), \
                    \(acknowledged.count) acknowledged, \(completed) completed, \(acknowledged.count - completed) lost, \
                    \(startedTwice) started twice at one attempt, \(halfWritten) of \(artifactCount) artifacts half-written and visible
                    network partition: cut-off worker stopped its run \(Self.seconds(stoppedAfter)) after the cut (lease 3 s); \
                    train job running at attempt 2 on the other worker \(Self.seconds(takenOverAfter)) after the cut; link restored at 12 s; cut-off worker \
                    heartbeating again \(Self.seconds(backAfter)) after, and completed \(ranAfter) jobs after it
                    network partition: attempt 1 wrote \(writtenBefore) metric points before the cut; after the link returned \
                    the cut-off worker sent for it \(lateSent.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")), \
                    and \(lateMetrics + lateLogs + lateArtifacts) rows got in (\(lateMetrics) metric points, \(lateLogs) log lines, \
                    \(lateArtifacts) artifacts); \(abandoned) unfinished uploads of attempt 1 left invisible
                    """)
            }
        }
    }

    /// A duration as "2.7 s", or "never".
    static func seconds(_ duration: Duration?) -> String {
        duration.map { String(format: "%.1f s", $0 / .seconds(1)) } ?? "never"
    }

    /// What the client at `client` asked the server to write for `job` at `attempt`, by kind (metric points, log lines,
    /// progress reports, artifact uploads), read from the server's statement log past byte `offset`. A statement's
    /// parameters follow it in the same log entry; the telemetry statements take arrays of job ids and attempts.
    static func lateWrites(in log: URL, from offset: Int, client: String, job: Int64, attempt: Int) throws -> [String: Int] {
        let text = String(decoding: try Data(contentsOf: log).dropFirst(offset), as: UTF8.self)
        let kinds = ["INSERT INTO job_metrics": "metric points", "INSERT INTO job_logs": "log lines",
                     "UPDATE jobs j SET progress": "progress reports", "INSERT INTO artifacts": "artifact uploads"]
        var counts: [String: Int] = [:]
        var pending: String?
        for line in text.split(separator: "\n") where line.contains(" \(client)(") {
            if line.contains("LOG:  execute") {
                pending = kinds.first { line.contains($0.key) }?.value
                continue
            }
            guard let kind = pending, line.contains("DETAIL:  parameters:") else { continue }
            pending = nil
            func parameter(_ n: Int) -> [String] {
                guard let start = line.range(of: "$\(n) = '") else { return [] }
                let value = line[start.upperBound...].prefix { $0 != "'" }
                return value.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").map(String.init)
            }
            // An upload names its job and attempt as $5 and $6; the telemetry statements as arrays $1 and $2.
            let (ids, attempts) = kind == "artifact uploads" ? (parameter(5), parameter(6)) : (parameter(1), parameter(2))
            let matching = zip(ids, attempts).filter { $0 == String(job) && $1 == String(attempt) }.count
            if matching > 0 { counts[kind, default: 0] += matching }
        }
        return counts
    }

    /// The database's clock, the one rows are stamped with.
    static func databaseNow(_ sql: PostgresClient) async throws -> Date {
        for try await now in try await sql.query("SELECT now()").decode(Date.self) { return now }
        throw TestFailure("SELECT now() returned nothing")
    }

    /// The single integer a query returns.
    static func count(_ sql: PostgresClient, _ query: PostgresQuery) async throws -> Int {
        for try await value in try await sql.query(query).decode(Int.self) { return value }
        return 0
    }

    /// (attempt, state, worker) rows.
    static func rows(_ sql: PostgresClient, _ query: PostgresQuery) async throws -> [(Int, String, String)] {
        var rows: [(Int, String, String)] = []
        for try await row in try await sql.query(query).decode((Int, String, String).self) { rows.append(row) }
        return rows
    }
}

/// On until turned off, from any task.
final class RunningFlag: Sendable {
    private let state = Mutex(true)
    var isOn: Bool { state.withLock { $0 } }
    func turnOff() { state.withLock { $0 = false } }
}

/// A network namespace joined to the root namespace by a veth pair (`<hostAddress>` on the root side,
/// `<namespaceAddress>` inside), whose link can be cut so that packets vanish both ways and restored.
struct NetworkNamespace: Sendable {
    let name: String
    let hostLink: String
    let namespaceLink: String
    let hostAddress: String
    let namespaceAddress: String
    let subnet: String

    /// Makes the namespace, the pair and the addresses; throws, having removed what it made, when it cannot (not root).
    static func create() throws -> NetworkNamespace {
        // Interface names have at most 15 characters; the subnet is random so parallel runs do not collide.
        let suffix = String(UInt32.random(in: 0..<(36 * 36 * 36 * 36)), radix: 36)
        let (a, b) = (Int.random(in: 100...199), Int.random(in: 0...255))
        let network = NetworkNamespace(name: "skypart-\(suffix)", hostLink: "skyph\(suffix)", namespaceLink: "skypn\(suffix)",
                                       hostAddress: "10.\(a).\(b).1", namespaceAddress: "10.\(a).\(b).2", subnet: "10.\(a).\(b).0/24")
        do {
            try run("/usr/sbin/ip", ["netns", "add", network.name])
            try run("/usr/sbin/ip", ["link", "add", network.hostLink, "type", "veth", "peer", "name", network.namespaceLink])
            try run("/usr/sbin/ip", ["link", "set", network.namespaceLink, "netns", network.name])
            try run("/usr/sbin/ip", ["addr", "add", "\(network.hostAddress)/24", "dev", network.hostLink])
            try run("/usr/sbin/ip", ["link", "set", network.hostLink, "up"])
            try run("/usr/sbin/ip", ["-n", network.name, "addr", "add", "\(network.namespaceAddress)/24", "dev", network.namespaceLink])
            try run("/usr/sbin/ip", ["-n", network.name, "link", "set", network.namespaceLink, "up"])
            try run("/usr/sbin/ip", ["-n", network.name, "link", "set", "lo", "up"])
        } catch {
            network.remove()
            throw error
        }
        return network
    }

    /// `count` namespaces, each on a subnet of its own, like hosts on separate links to the database's host; throws,
    /// having removed every one it made, when it cannot.
    static func create(count: Int) throws -> [NetworkNamespace] {
        var made: [NetworkNamespace] = []
        do {
            while made.count < count {
                let network = try create()
                if made.contains(where: { $0.subnet == network.subnet }) { network.remove() } else { made.append(network) }
            }
        } catch {
            for network in made { network.remove() }
            throw error
        }
        return made
    }

    /// Drops every packet leaving either end: a queue of length zero, so senders get no error, only silence, and
    /// TCP retransmits as it would across a broken switch. (pfifo rather than netem or iptables: netem is a kernel
    /// module that containers often lack, and iptables is not installed here; pfifo is built into the kernel.)
    func cut() throws {
        try Self.run("/usr/sbin/tc", ["-n", name, "qdisc", "replace", "dev", namespaceLink, "root", "pfifo", "limit", "0"])
        try Self.run("/usr/sbin/tc", ["qdisc", "replace", "dev", hostLink, "root", "pfifo", "limit", "0"])
    }

    /// Restores the link (harmless when it is not cut).
    func heal() {
        try? Self.run("/usr/sbin/tc", ["-n", name, "qdisc", "del", "dev", namespaceLink, "root"])
        try? Self.run("/usr/sbin/tc", ["qdisc", "del", "dev", hostLink, "root"])
    }

    /// Deletes the namespace (which takes its end of the pair, and so the pair, with it) and the host end if left.
    func remove() {
        try? Self.run("/usr/sbin/ip", ["netns", "del", name])
        try? Self.run("/usr/sbin/ip", ["link", "del", hostLink])
    }

    /// Runs a tool to completion; throws with its output when it fails.
    static func run(_ tool: String, _ arguments: [String]) throws {
        let (status, text) = try runToCompletion(URL(fileURLWithPath: tool), arguments)
        guard status == 0 else { throw TestFailure("\(tool) \(arguments.joined(separator: " ")) exited \(status): \(text)") }
    }
}
