import Foundation
import SkyClient
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct LeaderboardCommandTests {
    /// A job no test worker serves (queue `held`), claimed as an eval executor would hold it.
    static func claimedJob(_ server: TestServer) async throws -> (id: Int64, token: JobToken) {
        let submission = JobSubmission(kind: .sleep, spec: .object(["durationSeconds": .number(0)]), queue: "held", experiment: "grid")
        let job = try await server.database.queue.submit(submission)
        // A lease longer than any test: an expired one would be claimed again, ahead of the job just submitted.
        let claimed = try await server.database.queue.claim(for: .test("cli", queues: ["held"]), limit: 1, lease: .seconds(3600))
        return (job.id, try #require(claimed.first { $0.id == job.id }).token)
    }

    /// Stores a complete eval run under a job no test worker serves (queue `held`), as an eval executor would.
    static func storeRun(_ server: TestServer, variant: String, benchmark: String, accuracy: Double, standardError: Double) async throws {
        let (job, token) = try await claimedJob(server)
        let store = EvalStore(client: server.database.client)
        let run = try await store.open(NewEvalRun(
            benchmark: benchmark, benchmarkSHA256: "b", variant: variant, model: "/models/tiny", modelSHA256: "m",
            adapter: "job:\(variant)", adapterSHA256: "a-\(variant)", config: .object([:]), configHash: "0123456789abcdef-\(variant)",
            problems: 40, samplesPerProblem: 1), token: token)
        try await store.complete(run: run.id, accuracy: accuracy, standardError: standardError, summary: .null, token: token)
    }

    @Test func theExperimentTablePrintsVariantsByBenchmarksWithStandardErrors() async throws {
        try await withTestServer { server in
            try await Self.storeRun(server, variant: "base", benchmark: "synthetic", accuracy: 0.25, standardError: 0.05)
            try await Self.storeRun(server, variant: "correct", benchmark: "synthetic", accuracy: 0.625, standardError: 0.031)
            try await Self.storeRun(server, variant: "correct", benchmark: "amc23", accuracy: 0.5, standardError: 0.08)
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.readToken]

            let table = try await runSkyctl(["leaderboard", "--experiment", "grid"], environment: environment)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["VARIANT", "AMC23", "SYNTHETIC", "AVG"])
            #expect(lines.count > 2 && lines[1].hasPrefix("base") && lines[1].contains("25.0 ± 5.0") && lines[1].hasSuffix("*"))
            #expect(lines[2].hasPrefix("correct") && lines[2].contains("50.0 ± 8.0") && lines[2].contains("62.5 ± 3.1"))
            #expect(table.stdout.contains("* averaged over the benchmarks"))

            let json = try await runSkyctl(["leaderboard", "--experiment", "grid", "--benchmark", "amc23", "--json"], environment: environment)
            let scores = try APIJSON.decode(ExperimentScores.self, from: Data(json.stdout.utf8))
            #expect(scores.benchmarks == ["amc23"] && scores.rows.map(\.variant) == ["correct"] && scores.rows[0].average == 0.5)

            let board = try await runSkyctl(["leaderboard", "--benchmark", "synthetic"], environment: environment)
            #expect(board.status == 0, "\(board.stderr)")
            let rows = board.stdout.split(separator: "\n").map(String.init)
            #expect(rows.first == "synthetic" && rows.count == 4)
            #expect(rows[2].contains("job:correct") && rows[2].contains("62.5 ± 3.1") && rows[2].contains("0123456789ab"))

            let none = try await runSkyctl(["leaderboard", "--experiment", "nothing"], environment: environment)
            #expect(none.status == 0 && none.stdout.contains("no eval results in experiment 'nothing'"))
        }
    }

    /// Stores a complete run with per-sample verdicts under a job of its own and returns the job's id.
    static func storeRun(_ server: TestServer, variant: String, verdicts: [Bool], benchmark: String = "synthetic") async throws -> Int64 {
        let (job, token) = try await claimedJob(server)
        let store = EvalStore(client: server.database.client)
        let run = try await store.open(NewEvalRun(
            benchmark: benchmark, benchmarkSHA256: "b-\(benchmark)", variant: variant, model: "/models/tiny", modelSHA256: "m",
            adapter: nil, adapterSHA256: nil, config: .object([:]), configHash: "c-\(variant)", problems: verdicts.count,
            samplesPerProblem: 1), token: token)
        for (i, ok) in verdicts.enumerated() {
            try await store.record([EvalSampleRow(problemID: String(format: "p%03d", i), sampleIndex: 0, level: nil, promptTokens: 1,
                                                  output: "x", extracted: nil, correct: ok, reason: "r", outputTokens: 1,
                                                  finishReason: "stop", reflectionKeywords: 0)], run: run.id, token: token)
        }
        let accuracy = Double(verdicts.filter { $0 }.count) / Double(verdicts.count)
        try await store.complete(run: run.id, accuracy: accuracy, standardError: 0.05, summary: .null, token: token)
        return job
    }

    /// `skyctl leaderboard --compare A B` pairs two eval jobs' samples (across more than one page of the samples
    /// route) and prints the flips, both accuracies with Wilson intervals, B − A with its bootstrap interval and the
    /// McNemar p-value; `--json` gives the same figures.
    @Test func comparingTwoEvalJobsPairsTheirSamplesAndSaysWhetherTheyDiffer() async throws {
        try await withTestServer { server in
            // 1,200 problems (two pages of 1,000): A right on the first 600, B on the first 500 and the last 100.
            let a = try await Self.storeRun(server, variant: "correct", verdicts: (0..<1200).map { $0 < 600 })
            let b = try await Self.storeRun(server, variant: "shuffle 100%", verdicts: (0..<1200).map { $0 < 500 || $0 >= 1100 })
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.readToken]
            let text = try await runSkyctl(["leaderboard", "--compare", "\(a)", "\(b)"], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            let lines = text.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3 && lines[0].hasPrefix("BENCHMARK") && lines[1].hasPrefix("synthetic"), "\(text.stdout)")
            #expect(lines[1].contains("1200") && lines[1].contains("50.0 [") && lines[1].contains("correct")
                    && lines[1].contains("100 lost, 100 gained") && lines[1].contains("+0.0"), "\(lines[1])")
            let json = try await runSkyctl(["leaderboard", "--compare", "\(a)", "\(b)", "--json"], environment: environment)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
            #expect(rows.count == 1 && rows[0]["pairedSamples"] as? Int == 1200 && rows[0]["rightToWrong"] as? Int == 100)
            #expect((rows[0]["mcnemarP"] as? Double).map { abs($0 - 1) < 1e-9 } == true, "\(rows[0])")
            let wrong = try await runSkyctl(["leaderboard", "--compare", "\(a)"], environment: environment)
            #expect(wrong.status != 0 && wrong.stderr.contains("--compare takes two eval job ids"), "\(wrong.stderr)")
        }
    }

    /// `--experiment E --against V` marks the cells whose samples differ from V's beyond noise, and only those.
    @Test func theExperimentTableMarksCellsThatDifferFromAReferenceRow() async throws {
        try await withTestServer { server in
            _ = try await Self.storeRun(server, variant: "correct", verdicts: (0..<200).map { $0 % 2 == 0 })
            _ = try await Self.storeRun(server, variant: "wrong answers", verdicts: (0..<200).map { $0 % 10 == 0 })
            _ = try await Self.storeRun(server, variant: "shuffle 33%", verdicts: (0..<200).map { $0 % 2 == 0 || $0 == 1 })
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.readToken]
            let table = try await runSkyctl(["leaderboard", "--experiment", "grid", "--against", "correct"], environment: environment)
            #expect(table.status == 0, "\(table.stderr)")
            let lines = table.stdout.split(separator: "\n").map(String.init)
            let wrong = try #require(lines.first { $0.hasPrefix("wrong answers") }), shuffle = try #require(lines.first { $0.hasPrefix("shuffle") })
            let correct = try #require(lines.first { $0.hasPrefix("correct") })
            #expect(wrong.contains("†") && !shuffle.contains("†") && !correct.contains("†"), "\(table.stdout)")
            #expect(table.stdout.contains("† differs from 'correct' sample by sample (exact McNemar p < 0.05)"))
            let missing = try await runSkyctl(["leaderboard", "--experiment", "grid", "--against", "nope"], environment: environment)
            #expect(missing.status != 0 && missing.stderr.contains("--against nope: no such variant"), "\(missing.stderr)")
        }
    }
}
