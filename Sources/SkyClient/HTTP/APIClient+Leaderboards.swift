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
