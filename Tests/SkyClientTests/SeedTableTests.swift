import Foundation
import SkyClient
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// The experiment table over training seeds: the views average a cell's seeds, give their standard deviation next to
/// the pooled standard error, keep a single-seed cell exactly as before, and `skyctl leaderboard` prints both.
@Suite struct SeedTableTests {
    static func storeRun(_ server: TestServer, variant: String, seed: UInt64?, accuracy: Double, standardError: Double) async throws {
        let (_, token) = try await LeaderboardCommandTests.claimedJob(server)
        let store = EvalStore(client: server.database.client)
        let run = try await store.open(NewEvalRun(
            benchmark: "synthetic", benchmarkSHA256: "b", variant: variant, model: "/m", modelSHA256: "m", config: .object([:]),
            configHash: "c-\(variant)-\(seed.map(String.init) ?? "none")", problems: 40, samplesPerProblem: 1, trainSeed: seed), token: token)
        try await store.complete(run: run.id, accuracy: accuracy, standardError: standardError, summary: .null, token: token)
    }

    @Test func aCellOverSeedsShowsTheirMeanSpreadAndPooledStandardError() async throws {
        try await withTestServer { server in
            try await Self.storeRun(server, variant: "base", seed: nil, accuracy: 0.25, standardError: 0.05)
            for (seed, accuracy) in [(0, 0.90), (1, 0.80), (2, 0.85)] {
                try await Self.storeRun(server, variant: "correct", seed: UInt64(seed), accuracy: accuracy, standardError: 0.04)
            }
            // A re-run of seed 1 replaces its earlier run rather than counting as a fourth seed.
            try await Self.storeRun(server, variant: "correct", seed: 1, accuracy: 0.75, standardError: 0.04)

            let table = try await EvalStore(client: server.database.client).experimentTable("grid")
            let base = try #require(table.first { $0.variant == "base" }?.scores["synthetic"])
            #expect(base.seeds == 1 && base.seedStandardDeviation == nil && base.accuracy == 0.25 && base.standardError == 0.05)
            let correct = try #require(table.first { $0.variant == "correct" }?.scores["synthetic"])
            #expect(correct.seeds == 3 && abs(correct.accuracy - 2.5 / 3) < 1e-12)
            #expect(abs(correct.seedStandardDeviation! - 0.076376261582597) < 1e-9)  // sd of 0.90, 0.75, 0.85
            #expect(abs(correct.standardError! - (3 * 0.04 * 0.04).squareRoot() / 3) < 1e-12)
            let seeds = try await EvalStore(client: server.database.client).seedScores("grid")
            #expect(seeds.filter { $0.variant == "correct" }.map(\.seed) == [0, 1, 2])

            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.readToken]
            let text = try await runSkyctl(["leaderboard", "--experiment", "grid"], environment: environment)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("83.3 ± 7.6 [± 2.3] ×3") && text.stdout.contains("25.0 ± 5.0"), "\(text.stdout)")
            #expect(text.stdout.contains("over k seeds: mean ± standard deviation over the seeds"))
        }
    }
}
