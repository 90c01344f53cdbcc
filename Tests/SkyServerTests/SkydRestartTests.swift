import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SkyClient
import SkyCore
import SkyTestSupport
import Testing

/// Chaos scenario e: `skyd serve` on its own embedded PostgreSQL, killed with SIGKILL mid-job and started again on the
/// same data directory. Its watchdog stops the orphaned PostgreSQL; the new skyd starts it, and the queue, the
/// artifacts and the experiment are all there, and the job that was running is retried and finishes.
extension FaultToleranceTests {
    @Test func aKilledSkydServeComesBackWithItsQueueArtifactsAndExperimentIntact() async throws {
        let data = URL(fileURLWithPath: "/tmp/sky-restart-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        chmod(data.path, 0o755)  // the embedded PostgreSQL runs as the postgres user when the tests run as root
        defer { try? FileManager.default.removeItem(at: data) }
        try Data("""
            workers: 1
            queues: [default]
            kinds: [sleep]
            slots: 1
            threads: 1
            leaseSeconds: 3
            pollSeconds: 1
            shutdownGraceSeconds: 1
            """.utf8).write(to: data.appendingPathComponent("pool.yaml"))
        let port = Int.random(in: 20_000...32_000)
        let url = "http://127.0.0.1:\(port)"

        var skyd = try await Self.startEmbeddedSkyd(data: data, port: port)
        defer { if skyd.isRunning { skyd.terminate(); skyd.waitUntilExit() } }
        let token = try #require(try ClientConfigFile.load(from: data.appendingPathComponent("config.yaml")).token)
        let api = FaultAPI(url: url, token: token)

        let bytes = Data((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var upload = HTTPClientRequest(url: "\(url)/v1/artifacts?name=kept.bin")
        upload.method = .POST
        upload.headers.add(name: "Authorization", value: "Bearer \(token)")
        upload.headers.add(name: "Content-Type", value: "application/octet-stream")
        upload.body = .bytes(ByteBuffer(bytes: bytes))
        let stored = try await HTTPClient.shared.execute(upload, timeout: .seconds(30)).body.collect(upTo: 1 << 20)
        let artifact = try #require(try JSONValue.parse(Data(stored.readableBytesView))["id"]?.numberValue.map(Int64.init))

        var ids: [Int64] = []
        for duration in [6.0, 0.5, 0.5] {
            let job = try await api.send(.POST, "/v1/jobs", body: .object([
                "kind": .string("sleep"), "spec": .object(["durationSeconds": .number(duration)]), "experiment": .string("restart"),
            ]))
            ids.append(try #require(job["id"]?.numberValue.map(Int64.init)))
        }
        let running = try await eventually(timeout: .seconds(60)) {
            try await api.send(.GET, "/v1/jobs/\(ids[0])")["state"] == .string("running")
        }
        try #require(running)

        kill(skyd.processIdentifier, SIGKILL)
        skyd.waitUntilExit()
        let killed = ContinuousClock.now
        skyd = try await Self.startEmbeddedSkyd(data: data, port: port)
        print("skyd serve: answering again \(ContinuousClock.now - killed) after SIGKILL")

        var download = HTTPClientRequest(url: "\(url)/v1/artifacts/\(artifact)/content")
        download.headers.add(name: "Authorization", value: "Bearer \(token)")
        let content = try await HTTPClient.shared.execute(download, timeout: .seconds(30)).body.collect(upTo: 1 << 20)
        #expect(Data(content.readableBytesView) == bytes, "the artifact's bytes changed across the restart")

        let finished = try await eventually(timeout: .seconds(90)) {
            let detail = try await api.send(.GET, "/v1/experiments/restart")
            guard case .array(let jobs)? = detail["jobs"] else { return false }
            return jobs.count == 3 && jobs.allSatisfy { $0["state"] == .string("succeeded") }
        }
        #expect(finished, "the experiment's jobs did not all succeed after the restart")
        let interrupted = try await api.send(.GET, "/v1/jobs/\(ids[0])")
        #expect(interrupted["attempt"] == .number(2), "the job running at the kill is retried once: \(interrupted)")
        for id in ids {
            guard case .array(let events)? = try await api.send(.GET, "/v1/jobs/\(id)/events")["events"] else { continue }
            let starts = events.filter { $0["to"] == .string("running") }.compactMap { $0["attempt"]?.numberValue }
            #expect(Set(starts).count == starts.count, "job \(id) ran twice at one attempt: \(starts)")
        }
    }

    /// `skyd serve` on the embedded PostgreSQL in `data`, once it answers /readyz.
    static func startEmbeddedSkyd(data: URL, port: Int) async throws -> Process {
        let process = Process()
        process.executableURL = try builtSkyd()
        process.arguments = [
            "serve", "--data-dir", data.appendingPathComponent("sky").path, "--port", String(port),
            "--client-config", data.appendingPathComponent("config.yaml").path,
            "--workers-config", data.appendingPathComponent("pool.yaml").path, "--log-level", "warning",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The killed skyd's watchdog first stops its PostgreSQL (within a second or two), then this one starts it.
        let ready = try await eventually(timeout: .seconds(120)) {
            guard process.isRunning else { return false }
            let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/readyz"), timeout: .seconds(2))
            return response?.status.code == 200
        }
        guard ready else {
            if process.isRunning { process.terminate() }
            throw TestFailure("skyd serve did not become ready on port \(port)")
        }
        return process
    }
}
