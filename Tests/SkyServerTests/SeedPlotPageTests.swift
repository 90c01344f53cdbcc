import Foundation
import HTTPTypes
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

/// An experiment page whose cells average several training seeds: each cell says so, and a plot per benchmark shows
/// every seed of every variant.
@Suite struct SeedPlotPageTests {
    static func storeRun(_ api: APITester, variant: String, seed: UInt64?, accuracy: Double) async throws {
        let job = try await api.submit(.sleepJob(extra: ["experiment": .string("grid")]))
        let claimed = try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
        let token = try #require(claimed.first { $0.id == job }).token
        let store = EvalStore(client: api.db.client)
        let run = try await store.open(NewEvalRun(
            benchmark: "synthetic", benchmarkSHA256: "b", variant: variant, model: "/m", modelSHA256: "m", config: .object([:]),
            configHash: "h", problems: 10, samplesPerProblem: 1, trainSeed: seed), token: token)
        try await store.complete(run: run.id, accuracy: accuracy, standardError: 0.1, summary: .null, token: token)
    }

    @Test func seededCellsShowTheirSpreadAndEverySeedIsPlotted() async throws {
        try await withAPI { api in
            try await Self.storeRun(api, variant: "base", seed: nil, accuracy: 0.2)
            for (seed, accuracy) in [(0, 0.9), (1, 0.7), (2, 0.8)] {
                try await Self.storeRun(api, variant: "correct <b>", seed: UInt64(seed), accuracy: accuracy)
            }
            let page = try await WebPageTests.page(api, "/ui/experiments/grid", cookie: api.reader)
            #expect(page.status == .ok)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(html.contains("<h2>Seeds</h2>") && html.components(separatedBy: "<circle").count - 1 == 4)
            #expect(html.contains("80.0<span class=\"se\"> ± 10.0</span> <span class=\"muted\">[± 5.8] ×3</span>"), "\(html)")
            #expect(html.contains("correct &lt;b&gt;, seed 1: 70.0%") && !html.contains("correct <b>"))

        }
    }
}
