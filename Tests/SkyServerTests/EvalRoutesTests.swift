import Foundation
import HTTPTypes
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

@Suite struct EvalRoutesTests {
    /// Stores a complete run as an eval job of `experiment` would, and returns the job id and run id.
    static func storeRun(_ api: APITester, experiment: String, variant: String, benchmark: String, accuracy: Double,
                         problems: [String: [Bool]] = [:]) async throws -> (job: Int64, run: Int64) {
        let job = try await api.submit(.sleepJob(extra: ["experiment": .string(experiment)]))
        let claimed = try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
        let token = try #require(claimed.first { $0.id == job }).token
        let store = EvalStore(client: api.db.client)
        let run = try await store.open(NewEvalRun(
            benchmark: benchmark, benchmarkSHA256: "b", variant: variant, model: "/models/tiny", modelSHA256: "m-\(variant)",
            config: .object(["n": .number(1)]), configHash: "h-\(variant)", problems: max(1, problems.count), samplesPerProblem: 1), token: token)
        for (problem, verdicts) in problems.sorted(by: { $0.key < $1.key }) {
            try await store.record(verdicts.enumerated().map { index, correct in
                EvalSampleRow(problemID: problem, sampleIndex: index, promptTokens: 3, output: "\\boxed{1}", extracted: "1",
                              correct: correct, reason: correct ? "equal" : "different", outputTokens: 4, finishReason: "stop")
            }, run: run.id, token: token)
        }
        try await store.complete(run: run.id, accuracy: accuracy, standardError: 0.1, summary: .object(["passAtK": .object([:])]), token: token)
        return (job, run.id)
    }

    @Test func theExperimentTableAndTheLeaderboardAreServedAsTheContractSays() async throws {
        try await withAPI { api in
            _ = try await Self.storeRun(api, experiment: "grid", variant: "base", benchmark: "synthetic", accuracy: 0.25)
            _ = try await Self.storeRun(api, experiment: "grid", variant: "correct", benchmark: "synthetic", accuracy: 0.75)
            _ = try await Self.storeRun(api, experiment: "grid", variant: "correct", benchmark: "math500", accuracy: 0.5)

            let table = try await api.request(.get, "/v1/experiments/grid/table")
            #expect(table.status == .ok)
            #expect(table.json["benchmarks"] == .array([.string("math500"), .string("synthetic")]))
            #expect(table.json["rows"]?[0]?["variant"]?.stringValue == "base")
            #expect(table.json["rows"]?[1]?["scores"]?["synthetic"]?["accuracy"]?.numberValue == 0.75)
            #expect(table.json["rows"]?[1]?["average"]?.numberValue == 0.625)
            let empty = try await api.request(.get, "/v1/experiments/none/table")
            #expect(empty.status == .ok && empty.json["rows"] == .array([]))

            let board = try await api.request(.get, "/v1/leaderboards?benchmark=synthetic")
            #expect(board.json["entries"]?[0]?["variant"]?.stringValue == "correct")
            #expect(board.json["entries"]?[0]?["best"]?["accuracy"]?.numberValue == 0.75)
            #expect(board.json["entries"]?[1]?["latest"]?["accuracy"]?.numberValue == 0.25)
            #expect(try await api.request(.get, "/v1/leaderboards?limit=0").status == .badRequest)
        }
    }

    @Test func aJobsRunsAndTheirSamplesArePagedByWholeProblems() async throws {
        try await withAPI { api in
            let problems = ["p1": [true, false], "p2": [true, true], "p3": [false, false]]
            let (job, run) = try await Self.storeRun(api, experiment: "e", variant: "v", benchmark: "synthetic", accuracy: 0.5, problems: problems)
            let runs = try await api.request(.get, "/v1/jobs/\(job)/eval")
            #expect(runs.json["runs"]?[0]?["state"]?.stringValue == "complete" && runs.json["runs"]?[0]?["id"]?.numberValue == Double(run))
            #expect(try await api.request(.get, "/v1/jobs/999999/eval").status == .notFound)

            var seen: [String] = []
            var after: String?
            repeat {
                let query = after.map { "&after=\($0)" } ?? ""
                let page = try await api.request(.get, "/v1/eval-runs/\(run)/samples?problems=2\(query)")
                guard case .array(let samples)? = page.json["samples"] else { Issue.record("no samples: \(page.text)"); return }
                seen += samples.compactMap { sample in
                    guard let problem = sample["problemId"]?.stringValue, let index = sample["sampleIndex"]?.numberValue else { return nil }
                    return "\(problem)#\(Int(index))"
                }
                after = page.json["next"]?.stringValue
            } while after != nil
            #expect(seen == ["p1#0", "p1#1", "p2#0", "p2#1", "p3#0", "p3#1"])
            #expect(try await api.request(.get, "/v1/eval-runs/424242/samples").status == .notFound)
        }
    }
}
