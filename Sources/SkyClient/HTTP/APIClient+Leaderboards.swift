import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension APIClient {
    /// GET /v1/leaderboards: per benchmark, each model + adapter's best and latest score, best first.
    public func leaderboard(benchmark: String? = nil) async throws -> [LeaderboardEntry] {
        struct Entries: Decodable { var entries: [LeaderboardEntry] }
        return try await json(Entries.self, makeRequest(.GET, "/v1/leaderboards", query: [("benchmark", benchmark)])).entries
    }

    /// GET /v1/experiments/{name}/table: the experiment's variants × benchmarks.
    public func experimentScores(_ name: String) async throws -> ExperimentScores {
        try await json(ExperimentScores.self, makeRequest(.GET, "/v1/experiments/\(Self.percentEncoded(name))/table"))
    }
}

extension APIClient {
    /// GET /v1/jobs/{id}/eval: an eval job's runs, one per benchmark.
    public func evalRuns(job: Int64) async throws -> [EvalRunSummary] {
        struct Runs: Decodable { var runs: [EvalRunSummary] }
        return try await json(Runs.self, makeRequest(.GET, "/v1/jobs/\(job)/eval")).runs
    }

    /// GET /v1/eval-runs/{id}: one run with its accuracy under every grader that judged it.
    public func evalRun(_ id: Int64) async throws -> EvalRunSummary {
        try await json(EvalRunSummary.self, makeRequest(.GET, "/v1/eval-runs/\(id)"))
    }

    /// GET /v1/eval-runs/{id}/verdict-changes: the samples graders `from` and `to` judged differently.
    public func verdictChanges(run: Int64, from: String, to: String) async throws -> [VerdictChangeEntry] {
        struct Changes: Decodable { var changes: [VerdictChangeEntry] }
        return try await json(Changes.self, makeRequest(.GET, "/v1/eval-runs/\(run)/verdict-changes",
                                                        query: [("from", from), ("to", to)])).changes
    }

    /// Every sample's verdict of eval run `run`, read through GET /v1/eval-runs/{id}/samples a page at a time.
    public func evalVerdicts(run: Int64) async throws -> [EvalVerdict] {
        struct Page: Decodable {
            var samples: [EvalVerdict]
            var next: String?
        }
        var verdicts: [EvalVerdict] = [], after: String?
        repeat {
            let page = try await json(Page.self, makeRequest(.GET, "/v1/eval-runs/\(run)/samples",
                                                             query: [("after", after), ("problems", "1000")]))
            verdicts += page.samples
            after = page.next
        } while after != nil
        return verdicts
    }
}
