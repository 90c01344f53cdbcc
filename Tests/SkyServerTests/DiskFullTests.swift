import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SkyCore
import SkyTestSupport
import Testing

/// Chaos scenario f, on the worker's side: a `skyd worker` whose data directory (scratch: generated datasets,
/// checkpoints, outputs) is a 1 MiB tmpfs runs a train job that needs more. The job fails with the reason after its
/// attempts, every artifact it did store is whole (its bytes match its SHA-256), and the database and the worker stay
/// healthy: the next job runs.
extension FaultToleranceTests {
    @Test func aWorkerWhoseDiskIsFullFailsTheJobWithTheReasonAndLeavesNothingHalfWritten() async throws {
        let mountPoint = "/tmp/sky-full-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: mountPoint) }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint]
        try mount.run()
        mount.waitUntilExit()
        // Said loudly rather than passed: this scenario needs root (CI and `make test` run as root).
        try #require(mount.terminationStatus == 0, "cannot mount a tmpfs at \(mountPoint) (not root?): disk-full scenario not run")
        defer {
            let unmount = Process()
            unmount.executableURL = URL(fileURLWithPath: "/bin/umount")
            unmount.arguments = ["-l", mountPoint]
            try? unmount.run()
            unmount.waitUntilExit()
        }

        try await withTestDatabase { db in
            try await withSkyd(database: db.name) { skyd in
                let worker = try await startWorker(databaseURL: try await testDatabaseURL(db.name), index: 0,
                                                   kinds: "[train, sleep]", dataDirectory: URL(fileURLWithPath: mountPoint))
                defer { if worker.isRunning { worker.terminate(); worker.waitUntilExit() } }
                let api = FaultAPI(url: skyd.url, token: skyd.token)
                let train = try await api.send(.POST, "/v1/jobs", body: .object([
                    "kind": .string("train"), "maxAttempts": .number(2),
                    "spec": .object([
                        "baseModel": .object(["init": .object(["preset": .string("tiny"), "vocabSize": .number(300)])]),
                        "dataset": .object(["synthetic": .object(["count": .number(16), "demonstrations": .string("short")])]),
                        "mode": .string("full"), "threads": .number(1), "checkpointEvery": .number(1),
                        "optimization": .object(["maxSteps": .number(6), "microBatchSize": .number(1)]),
                        "sequences": .object(["maxLength": .number(192)]),
                    ]),
                ]))
                let id = try #require(train["id"]?.numberValue.map(Int64.init), "\(train)")
                let ended = try await eventually(timeout: .seconds(300)) {
                    ["failed", "succeeded"].contains(try await api.send(.GET, "/v1/jobs/\(id)")["state"]?.stringValue ?? "")
                }
                try #require(ended)
                let job = try await api.send(.GET, "/v1/jobs/\(id)")
                let error = job["error"]?.stringValue ?? ""
                print("disk full: job \(id) \(job["state"] ?? .null) after \(job["attempt"] ?? .null) attempts: \(error)")
                #expect(job["state"] == .string("failed") && job["attempt"] == .number(2), "\(job)")
                #expect(error.lowercased().contains("space"), "the reason should say the disk is full: \(error)")

                guard case .array(let artifacts)? = try await api.send(.GET, "/v1/jobs/\(id)/artifacts")["artifacts"] else { return }
                for artifact in artifacts {
                    let artifactID = Int64(artifact["id"]?.numberValue ?? 0)
                    var download = HTTPClientRequest(url: "\(skyd.url)/v1/artifacts/\(artifactID)/content")
                    download.headers.add(name: "Authorization", value: "Bearer \(skyd.token)")
                    let bytes = try await HTTPClient.shared.execute(download, timeout: .seconds(60)).body.collect(upTo: 64 << 20)
                    let digest = SHA256.hash(data: Data(bytes.readableBytesView)).map { String(format: "%02x", $0) }.joined()
                    #expect(digest == artifact["sha256"]?.stringValue, "artifact \(artifactID) is not whole")
                }

                let next = try await api.send(.POST, "/v1/jobs", body: .object(["kind": .string("sleep"), "spec": .object([:])]))
                let nextID = try #require(next["id"]?.numberValue.map(Int64.init))
                let ran = try await eventually(timeout: .seconds(60)) {
                    try await api.send(.GET, "/v1/jobs/\(nextID)")["state"] == .string("succeeded")
                }
                #expect(ran && worker.isRunning, "the worker should carry on after a full disk")
            }
        }
    }
}
