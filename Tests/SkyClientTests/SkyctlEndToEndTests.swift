import Foundation
import Synchronization
import SkyClient
import SkyCore
import Testing

/// What one run of the skyctl binary printed and returned.
struct SkyctlRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the skyctl built next to this test binary with `environment` (and nothing from the user's config).
func runSkyctl(_ arguments: [String], environment: [String: String]) async throws -> SkyctlRun {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("skyctl")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw TestServerError("no skyctl binary at \(binary.path); build the package before testing")
    }
    // A thread of its own, not the cooperative pool: blocking reads there would starve the in-process server.
    return try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            do {
                let process = Process()
                process.executableURL = binary
                process.arguments = arguments
                process.environment = ["PATH": "/usr/bin:/bin", "SKY_CONFIG": "/nonexistent/sky.yaml", "NO_COLOR": "1"]
                    .merging(environment) { _, new in new }
                let (out, err) = (Pipe(), Pipe())
                process.standardOutput = out
                process.standardError = err
                process.standardInput = FileHandle.nullDevice
                try process.run()
                // Standard error is drained on another thread, so neither pipe can fill and stall the child.
                let errors = Mutex(Data())
                let drained = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    errors.withLock { $0 = err.fileHandleForReading.readDataToEndOfFile() }
                    drained.signal()
                }
                let stdout = out.fileHandleForReading.readDataToEndOfFile()
                drained.wait()
                process.waitUntilExit()
                continuation.resume(returning: SkyctlRun(
                    status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                    stderr: String(decoding: errors.withLock { $0 }, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}

@Suite struct SkyctlEndToEndTests {
    func write(_ text: String, name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skyctl-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func submitPrintsTheIdAndStatusJSONListsTheJob() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let spec = try write("durationSeconds: 5\noutput: hi\n", name: "spec.yaml")
            let submit = try await runSkyctl(
                ["submit", "sleep", "-f", spec, "--set", "durationSeconds=0", "--name", "cli-job", "--experiment", "cli", "--tag", "x"],
                environment: environment)
            #expect(submit.status == 0, "\(submit.stderr)")
            let id = try #require(Int64(submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))

            let listing = try await runSkyctl(["status", "--json", "--experiment", "cli"], environment: environment)
            #expect(listing.status == 0, "\(listing.stderr)")
            let jobs = try APIJSON.decode([Job].self, from: Data(listing.stdout.utf8))
            #expect(jobs.map(\.id) == [id])
            #expect(jobs.first?.name == "cli-job" && jobs.first?.tags == ["x"] && jobs.first?.spec["durationSeconds"] == .number(0))

            let table = try await runSkyctl(["status", "-a"], environment: environment)
            #expect(table.status == 0)
            #expect(table.stdout.hasPrefix("ID  KIND   NAME/EXPERIMENT"))
            #expect(table.stdout.contains("cli-job (cli)") && table.stdout.contains("WORKER"))
        }
    }

    @Test func trainWithoutLocalSubmitsATrainJobWithTheNormalisedSpec() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let spec = try write("baseModel: {path: /models/none}\ndataset: {path: /data/none.jsonl}\nmode: full\n", name: "train.yaml")
            let submit = try await runSkyctl(["train", "-f", spec, "--name", "remote", "--experiment", "cli-train"], environment: environment)
            #expect(submit.status == 0, "\(submit.stderr)")
            let id = try #require(Int64(submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(submit.stderr.contains("skyctl logs \(id) -f"))
            try await withAPIClient(server.connection()) { client in
                let job = try await client.job(id)
                #expect(job.kind == .train && job.name == "remote" && job.experiment == "cli-train")
                #expect(job.spec["optimization"]?["learningRate"] == .number(1e-5))
            }
            let bad = try write("baseModel: {path: /m}\n", name: "bad.yaml")
            let refused = try await runSkyctl(["train", "-f", bad], environment: environment)
            #expect(refused.status != 0 && refused.stderr.contains("dataset"))
        }
    }

    @Test func anExperimentFileSubmitsItsJobsInOneBatch() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let file = try write("""
                experiment: chain
                jobs:
                  - id: first
                    kind: sleep
                    spec: {output: 1}
                  - kind: sleep
                    after: first
                    spec: {output: 2}
                """, name: "experiment.yaml")
            let submit = try await runSkyctl(["submit", "-f", file], environment: environment)
            #expect(submit.status == 0, "\(submit.stderr)")
            let ids = submit.stdout.split(separator: "\n").compactMap { Int64($0) }
            try #require(ids.count == 2)
            try await withAPIClient(server.connection()) { client in
                let (first, second) = (try await client.job(ids[0]), try await client.job(ids[1]))
                #expect(second.dependsOn == [first.id] && first.name == "first")
            }
        }
    }

    @Test func logsFollowPrintsLinesUntilTheJobEnds() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let spec = try write(#"{"durationSeconds": 0.5, "failureProbability": 1, "failPermanently": true}"#, name: "fail.json")
            let submit = try await runSkyctl(["submit", "sleep", "-f", spec, "--max-attempts", "1"], environment: environment)
            let id = try #require(Int64(submit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(submit.stderr)")
            let follow = try await runSkyctl(["logs", String(id), "-f"], environment: environment)
            #expect(follow.status == 0)
            #expect(follow.stdout.split(separator: "\n").count == 1 && follow.stdout.contains("#1 ERROR sleep job failed on purpose"))
            #expect(follow.stderr.contains("job \(id) failed"))
        }
    }

    @Test func exitStatusesSayWhatWentWrong() async throws {
        try await withTestServer { server in
            let good = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let missing = try await runSkyctl(["show", "424242"], environment: good)
            #expect(missing.status == 66 && missing.stderr.contains("424242"))

            let badToken = try await runSkyctl(["status"], environment: ["SKY_SERVER": server.url, "SKY_TOKEN": "sky_wrong"])
            #expect(badToken.status == 77 && badToken.stderr.contains("$SKY_TOKEN"))

            let invalid = try await runSkyctl(["submit", "sleep", "-f", try write("durationSeconds: -4\n", name: "bad.yaml")], environment: good)
            #expect(invalid.status == 65 && invalid.stderr.contains("/spec/durationSeconds"))

            let usage = try await runSkyctl(["submit", "sleep"], environment: good)
            #expect(usage.status == 64)
        }
        let port = try freeLoopbackPort()
        let unreachable = try await runSkyctl(["status"], environment: ["SKY_SERVER": "http://127.0.0.1:\(port)", "SKY_TOKEN": "x"])
        #expect(unreachable.status == 69 && unreachable.stderr.contains("127.0.0.1:\(port)") && unreachable.stderr.contains("skyd serve"))
    }
}
