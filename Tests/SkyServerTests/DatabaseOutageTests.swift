import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// Chaos scenario c for an external database: `skyd serve` and a `skyd worker` on a PostgreSQL the test runs itself,
/// whose postmaster the test kills with SIGKILL while submissions stream in and jobs run, then starts again. The API
/// answers 503 meanwhile, never 500; every submission that got a 2xx is there afterwards and runs; the worker and the
/// server reconnect by themselves.
extension FaultToleranceTests {
    @Test func killingAnExternalPostgreSQLLosesNoAcknowledgedSubmission() async throws {
        let directory = URL(fileURLWithPath: "/tmp/sky-outage-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        chmod(directory.path, 0o755)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = EmbeddedPostgres.Options(dataDirectory: directory.appendingPathComponent("db"))
        options.port = Int.random(in: 40_000...44_000)
        let database = try EmbeddedPostgres(options: options)
        try database.start()
        defer { try? database.stop() }
        let url = "postgresql://\(EmbeddedPostgres.username)@/\(EmbeddedPostgres.database)?host=\(database.socketDirectory.path)&port=\(options.port)"

        try await withSkyd(databaseURL: url) { skyd in
            let worker = try await startWorker(databaseURL: url, index: 0, kinds: "[sleep]")
            defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
            let api = FaultAPI(url: skyd.url, token: skyd.token)

            // Submissions every 100 ms for 24 s; the database dies at 3 s and is started again 12 s later, past skyd's
            // 10-second database deadline, so requests in the middle of the outage are answered 503 rather than held.
            let stream = Task { () -> [(status: Int, id: Int64?)] in
                var results: [(status: Int, id: Int64?)] = []
                let end = ContinuousClock.now + .seconds(24)
                while ContinuousClock.now < end {
                    results.append(await Self.submitSleep(skyd))
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return results
            }
            try await Task.sleep(for: .seconds(3))
            let pidFile = options.dataDirectory.appendingPathComponent("postgres/postmaster.pid")
            let postmaster = try #require(try String(contentsOf: pidFile, encoding: .utf8).split(separator: "\n").first.flatMap { pid_t($0) })
            kill(postmaster, SIGKILL)
            let killed = ContinuousClock.now
            try await Task.sleep(for: .seconds(12))
            // A few orphaned backends may hold the old shared memory for a moment: try until it starts.
            let restarted = try await eventually(timeout: .seconds(60)) { (try? database.restartIfDown()) != nil }
            try #require(restarted, "the test could not start PostgreSQL again")
            let answering = try await eventually(timeout: .seconds(60)) { await Self.submitSleep(skyd).status == 201 }
            print("external PostgreSQL: skyd accepts submissions again \(ContinuousClock.now - killed) after SIGKILL (down for 12 s)")
            #expect(answering)

            let results = await stream.value
            let statuses = Dictionary(grouping: results, by: \.status).mapValues(\.count)
            let acknowledged = results.compactMap(\.id)
            print("external PostgreSQL: \(results.count) submissions: \(statuses.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))")
            #expect(statuses.keys.allSatisfy { $0 == 201 || $0 == 503 }, "only 201 or 503, never a 500 or a dropped connection: \(statuses)")
            #expect((statuses[503] ?? 0) > 0, "the outage was never seen: \(statuses)")

            let done = try await eventually(timeout: .seconds(240)) {
                for id in acknowledged where try await api.send(.GET, "/v1/jobs/\(id)")["state"] != .string("succeeded") { return false }
                return true
            }
            if !done {
                var unfinished: [String] = []
                for id in acknowledged {
                    let job = try await api.send(.GET, "/v1/jobs/\(id)")
                    if job["state"] != .string("succeeded") {
                        unfinished.append("\(id): \(job["state"] ?? .null) attempt \(job["attempt"] ?? .null) \(job["error"] ?? .null) \(job["workerId"] ?? .null)")
                    }
                }
                Issue.record("acknowledged submissions that did not run: \(unfinished)")
            }
            if done { print("external PostgreSQL: \(acknowledged.count) acknowledged, \(acknowledged.count) completed, 0 lost") }
        }
    }

    /// Submits a short sleep job through the API: the status (0 when no HTTP response came back) and the id on 201.
    static func submitSleep(_ skyd: SkydProcess) async -> (status: Int, id: Int64?) {
        var request = HTTPClientRequest(url: skyd.url + "/v1/jobs")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(skyd.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"kind": "sleep", "spec": {"durationSeconds": 0.05}}"#))
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(30)),
              let body = try? await response.body.collect(upTo: 1 << 20) else { return (0, nil) }
        let id = (try? JSONValue.parse(Data(body.readableBytesView)))?["id"]?.numberValue.map(Int64.init)
        return (Int(response.status.code), response.status.code == 201 ? id : nil)
    }
}
