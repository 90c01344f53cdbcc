import Foundation
import PostgresNIO
import SkyClient
import SkyCore
import SkyEval
import SkyStore
import SkyTestSupport
import Testing

/// `skyctl eval import`, `eval rescore` and `eval diff-graders` through a real server, PostgreSQL and worker: files on
/// disk, artifacts uploaded, jobs claimed and run by the stock executors.
@Suite struct EvalGradingCommandTests {
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-eval-grading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Three problems × two outputs in the Qwen2.5-Math evaluation format. The harness judged `0.5` wrong against the
    /// gold `\frac{1}{2}` (a string comparison would), which Sky grades right: the one disagreement.
    static let qwenMath = """
        {"idx": 0, "question": "What is 2+2?", "gt": "4", "code": ["So the answer is \\\\boxed{4}.", "It is \\\\boxed{5}."], "pred": ["4", "5"], "score": [true, false]}
        {"idx": 1, "question": "Half of one?", "gt": "\\\\frac{1}{2}", "code": ["\\\\boxed{0.5}", "\\\\boxed{\\\\frac{1}{2}}"], "pred": ["0.5", "\\\\frac{1}{2}"], "score": [false, true]}
        {"idx": 2, "question": "3*3?", "gt": "9", "code": ["\\\\boxed{9}", "\\\\boxed{9}"], "pred": ["9", "9"], "score": [true, true]}

        """

    @Test func anImportedHarnessRunIsGradedBySkyBesideTheHarnessAndSitsInTheExperimentTable() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let file = try Self.directory().appendingPathComponent("math500_outputs.jsonl")
            try Data(Self.qwenMath.utf8).write(to: file)

            let imported = try await runSkyctl(["eval", "import", file.path, "--format", "qwen-math", "--model", "released-model",
                                                "--benchmark", "MATH500", "--experiment", "grid"], environment: environment)
            #expect(imported.status == 0, "\(imported.stderr)")
            #expect(imported.stdout.contains("Sky 83.3%"), "\(imported.stdout)")
            #expect(imported.stdout.contains("the harness's own verdicts: 66.7%; Sky and the harness disagree on 1 samples"))

            let store = EvalStore(client: server.database.client)
            let runID = try #require(Int64(imported.stdout.split(separator: " ")[2].dropLast()))
            let run = try await store.run(runID)
            #expect(run.state == "complete" && run.grader == GraderVersion.current && run.model == "released-model")
            #expect(run.source?["sha256"]?.stringValue == SHA256Hasher.hex(Array(Self.qwenMath.utf8)))
            #expect(run.source?["file"]?.stringValue == "math500_outputs.jsonl" && run.experiment == "grid")
            let samples = try await store.samples(run: runID)
            #expect(samples.count == 6 && samples.allSatisfy { $0.gold != nil && $0.finishReason == "imported" })

            let graders = try await store.graderScores(run: runID)
            #expect(graders.map(\.grader) == [GraderVersion.current, "harness:qwen-math"])
            #expect(abs(graders[1].accuracy - 4.0 / 6.0) < 1e-12)

            let diff = try await runSkyctl(["eval", "diff-graders", String(runID)], environment: environment)
            #expect(diff.status == 0, "\(diff.stderr)")
            #expect(diff.stdout.contains("1 samples judged differently by harness:qwen-math → \(GraderVersion.current): 0 right→wrong, 1 wrong→right"),
                    "\(diff.stdout)")
            let row = try #require(diff.stdout.split(separator: "\n").last)
            #expect(row.hasPrefix("1 ") && row.contains("wrong 0.5") && row.contains("right 0.5"))

            let table = try await runSkyctl(["leaderboard", "--experiment", "grid"], environment: environment)
            #expect(table.status == 0, "\(table.stderr)")
            #expect(table.stdout.contains("released-model") && table.stdout.contains("83.3"))
            #expect(table.stdout.contains("graded by \(GraderVersion.current)"))
            #expect(table.stdout.contains("imported from qwen-math outputs (graded by Sky): released-model"))
            let board = try await runSkyctl(["leaderboard", "--benchmark", "MATH500"], environment: environment)
            #expect(board.status == 0 && board.stdout.contains("GRADER") && board.stdout.contains(GraderVersion.current), "\(board.stdout)")
        }
    }

    @Test func aMalformedImportNamesFileLineAndFieldAndStoresNothing() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let file = try Self.directory().appendingPathComponent("broken.jsonl")
            var lines = Self.qwenMath.split(separator: "\n").map(String.init)
            lines[2] = lines[2].replacingOccurrences(of: "\"gt\": \"9\", ", with: "")
            try Data(lines.joined(separator: "\n").utf8).write(to: file)

            let broken = try await runSkyctl(["eval", "import", file.path, "--format", "qwen-math", "--model", "m", "--benchmark", "b"],
                                             environment: environment)
            #expect(broken.status == 65)
            #expect(broken.stderr.contains("broken.jsonl:3: field /gt: required field is missing; nothing imported"), "\(broken.stderr)")

            let unknown = try await runSkyctl(["eval", "import", file.path, "--format", "helm", "--model", "m", "--benchmark", "b"],
                                              environment: environment)
            #expect(unknown.status == 64 && unknown.stderr.contains("known formats: qwen-math, skythought, lm-eval"), "\(unknown.stderr)")

            // The worker checks again: an import job given the broken file directly fails and stores nothing.
            let job = try await server.database.queue.submit(JobSubmission(kind: .importResults, spec: .object([
                "file": .object(["path": .string(file.path)]), "format": .string("qwen-math"), "model": .string("m"),
                "benchmark": .string("b"),
            ]), maxAttempts: 1))
            let failed = try await Self.waitFinal(job.id, server)
            #expect(failed.state == .failed && (failed.error ?? "").contains("broken.jsonl:3: field /gt: required field is missing"))
            #expect(try await Self.count("SELECT count(*)::int FROM eval_runs", server) == 0)
        }
    }

    @Test func aRescoreRegradesStoredSamplesKeepsTheEarlierVerdictsAndSaysWhatChanged() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let store = EvalStore(client: server.database.client)
            // A run an older grader scored: it judged `\boxed{0.5}` wrong against 1/2 and `\boxed{7}` right against 8.
            let (_, token) = try await LeaderboardCommandTests.claimedJob(server)
            let opened = try await store.open(NewEvalRun(
                benchmark: "math", benchmarkSHA256: "b", variant: "correct", model: "/m", modelSHA256: "m",
                config: .object(["grader": .string("0.9.0+000000000000")]), configHash: "old", problems: 3, samplesPerProblem: 1),
                token: token)
            let stored: [(String, String, Bool)] = [("\\frac{1}{2}", "so \\boxed{0.5}", false), ("8", "\\boxed{7}", true), ("3", "\\boxed{3}", true)]
            try await store.record(stored.enumerated().map { index, sample in
                EvalSampleRow(problemID: "p\(index)", sampleIndex: 0, promptTokens: 1, output: sample.1, extracted: nil, correct: sample.2,
                              reason: "old rule", outputTokens: 3, finishReason: "stop", gold: sample.0)
            }, run: opened.id, token: token)
            try await store.complete(run: opened.id, accuracy: 2.0 / 3, standardError: 0.3,
                                     summary: .object(["accuracy": .number(2.0 / 3), "note": .string("kept")]), token: token)

            let dry = try await runSkyctl(["eval", "rescore", String(opened.id), "--dry-run"], environment: environment)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("66.7") && dry.stdout.contains("dry run with grader \(GraderVersion.current): nothing written"),
                    "\(dry.stdout)")
            #expect(try await store.run(opened.id).grader == "0.9.0+000000000000")

            let rescored = try await runSkyctl(["eval", "rescore", String(opened.id)], environment: environment)
            #expect(rescored.status == 0, "\(rescored.stderr)")
            let line = try #require(rescored.stdout.split(separator: "\n").dropFirst().first)
            #expect(line.split(separator: " ", omittingEmptySubsequences: true).prefix(8) == ["\(opened.id)", "math", "correct", "66.7", "66.7", "2", "1", "1"],
                    "\(rescored.stdout)")
            let after = try await store.run(opened.id)
            #expect(after.grader == GraderVersion.current && after.config["grader"]?.stringValue == GraderVersion.current)
            #expect(after.summary?["note"]?.stringValue == "kept" && after.configHash != "old")
            let samples = try await store.samples(run: opened.id)
            #expect(samples.map(\.correct) == [true, false, true])
            #expect(try await Self.count("SELECT count(*)::int FROM eval_verdicts WHERE run_id = \(opened.id) AND grader = '0.9.0+000000000000' AND reason = 'old rule'", server) == 3)

            let diff = try await runSkyctl(["eval", "diff-graders", String(opened.id)], environment: environment)
            #expect(diff.status == 0 && diff.stdout.contains("2 samples judged differently by 0.9.0+000000000000 → \(GraderVersion.current): 1 right→wrong, 1 wrong→right"),
                    "\(diff.stdout)\(diff.stderr)")

            let again = try await runSkyctl(["eval", "rescore", String(opened.id)], environment: environment)
            #expect(again.status == 0 && again.stdout.contains("already graded by \(GraderVersion.current)"), "\(again.stdout)")

            // A run whose samples are gone says so, and nothing else is touched.
            let (_, emptyToken) = try await LeaderboardCommandTests.claimedJob(server)
            let empty = try await store.open(NewEvalRun(benchmark: "math", benchmarkSHA256: "b", variant: "gone", model: "/m", modelSHA256: "m",
                                                        config: .object([:]), configHash: "c", problems: 3, samplesPerProblem: 1), token: emptyToken)
            try await store.complete(run: empty.id, accuracy: 0.5, standardError: 0.1, summary: .null, token: emptyToken)
            let pruned = try await runSkyctl(["eval", "rescore", String(empty.id)], environment: environment)
            #expect(pruned.status == 1 && pruned.stderr.contains("eval run \(empty.id) has no stored samples"), "\(pruned.stderr)")
        }
    }

    static func waitFinal(_ id: Int64, _ server: TestServer) async throws -> JobRecord {
        for _ in 0..<600 {
            let job = try await server.database.queue.job(id)
            if job.state.isFinal { return job }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestServerError("job \(id) did not finish")
    }

    static func count(_ sql: String, _ server: TestServer) async throws -> Int {
        let rows = try await server.database.client.query(PostgresQuery(unsafeSQL: sql))
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }
}
