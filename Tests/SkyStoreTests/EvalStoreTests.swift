import Foundation
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct EvalStoreTests {
    static func run(_ benchmark: String = "synthetic", variant: String = "correct", model: String = "m1", adapter: String? = nil,
                    configHash: String = "c1", problems: Int = 3, n: Int = 2) -> NewEvalRun {
        NewEvalRun(benchmark: benchmark, benchmarkSHA256: "b-\(benchmark)", variant: variant, model: model, modelSHA256: "sha-\(model)",
                   adapter: adapter, adapterSHA256: adapter.map { "sha-\($0)" }, config: .object(["seed": .number(0)]),
                   configHash: configHash, problems: problems, samplesPerProblem: n)
    }

    static func samples(_ problem: String, correct: [Bool]) -> [EvalSampleRow] {
        correct.enumerated().map { index, ok in
            EvalSampleRow(problemID: problem, sampleIndex: index, level: "1", promptTokens: 10, output: "\\boxed{\(ok ? 1 : 2)}\0",
                          extracted: "\(ok ? 1 : 2)", correct: ok, reason: ok ? "equal" : "different", outputTokens: 5,
                          finishReason: "stop", reflectionKeywords: index)
        }
    }

    /// Submits and claims a job in `experiment`; the token is what an eval executor holds.
    static func claimed(_ db: TestDatabase, experiment: String? = "exp") async throws -> JobToken {
        _ = try await db.queue.submit(.sleep(experiment: experiment))
        return try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0].token
    }

    @Test func samplesAndTheSummaryAreStoredAndReadBack() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            let token = try await Self.claimed(db)
            let opened = try await store.open(Self.run(), token: token)
            #expect(opened.finishedProblems.isEmpty && !opened.complete)
            try await store.record(Self.samples("p1", correct: [true, false]), run: opened.id, token: token)
            let stored = try await store.samples(run: opened.id)
            #expect(stored.count == 2 && stored[0].output == "\\boxed{1}\u{FFFD}" && stored[1].reflectionKeywords == 1)
            try await store.complete(run: opened.id, accuracy: 0.5, standardError: 0.1, summary: .object(["passAtK": .object(["1": .number(0.5)])]), token: token)
            let runs = try await store.runs(ofJob: token.id)
            #expect(runs.count == 1 && runs[0].state == "complete" && runs[0].accuracy == 0.5 && runs[0].experiment == "exp")
            #expect(runs[0].summary?["passAtK"]?["1"] == .number(0.5))
        }
    }

    @Test func aRetriedJobKeepsFinishedProblemsAndAStaleAttemptCannotWrite() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            _ = try await db.queue.submit(.sleep())
            let first = try await db.queue.claim(for: .test("a"), limit: 1, lease: .milliseconds(100))[0].token
            let opened = try await store.open(Self.run(), token: first)
            try await store.record(Self.samples("p1", correct: [true, true]), run: opened.id, token: first)
            try await store.record(Self.samples("p2", correct: [true]), run: opened.id, token: first)  // half a problem
            try await Task.sleep(for: .milliseconds(200))
            let second = try await db.queue.claim(for: .test("b"), limit: 1, lease: .seconds(30))[0].token
            #expect(second.attempt == 2)

            await #expect(throws: EvalStoreError.notHeld(first)) {
                try await store.record(Self.samples("p3", correct: [true, true]), run: opened.id, token: first)
            }
            await #expect(throws: EvalStoreError.notHeld(first)) { try await store.open(Self.run(), token: first) }
            let reopened = try await store.open(Self.run(), token: second)
            #expect(reopened.id == opened.id && reopened.finishedProblems == ["p1"])
            await #expect(throws: EvalStoreError.notHeld(first)) {
                try await store.complete(run: opened.id, accuracy: 1, standardError: 0, summary: .null, token: first)
            }

            // A different configuration starts over rather than mixing samples of two setups.
            let changed = try await store.open(Self.run(configHash: "c2"), token: second)
            #expect(changed.finishedProblems.isEmpty && changed.id != opened.id)
            #expect(try await store.samples(run: changed.id).isEmpty)
        }
    }

    @Test func theLeaderboardShowsBestAndLatestPerModelAndAdapter() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            for (model, adapter, accuracy) in [("m1", nil, 0.30), ("m1", nil, 0.50), ("m1", nil, 0.40), ("m1", "a1", 0.70), ("m2", nil, 0.10)] as [(String, String?, Double)] {
                let token = try await Self.claimed(db)
                let run = try await store.open(Self.run(model: model, adapter: adapter, configHash: "c\(accuracy)"), token: token)
                try await store.complete(run: run.id, accuracy: accuracy, standardError: 0.05, summary: .null, token: token)
            }
            let unfinished = try await Self.claimed(db)
            _ = try await store.open(Self.run(model: "m3"), token: unfinished)  // running runs are not on the board

            let board = try await store.leaderboard(benchmark: "synthetic")
            #expect(board.map(\.model) == ["m1", "m1", "m2"])
            #expect(board[0].adapter == "a1" && board[0].best.accuracy == 0.70 && board[0].runs == 1)
            #expect(board[1].adapter == nil && board[1].best.accuracy == 0.50 && board[1].latest.accuracy == 0.40 && board[1].runs == 3)
            #expect(board[1].best.configHash == "c0.5" && board[1].latest.configHash == "c0.4")
            #expect(try await store.leaderboard(benchmark: "aime24").isEmpty)
        }
    }

    @Test func theExperimentTableHasOneRowPerVariantWithTheLatestScoreOfEachBenchmark() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            let cells: [(String, String, Double)] = [
                ("base", "synthetic", 0.2), ("base", "math", 0.4), ("correct", "synthetic", 0.6), ("correct", "math", 0.8),
                ("correct", "synthetic", 0.9),  // a re-run replaces the earlier score
            ]
            for (variant, benchmark, accuracy) in cells {
                let token = try await Self.claimed(db, experiment: "grid")
                let run = try await store.open(Self.run(benchmark, variant: variant), token: token)
                try await store.complete(run: run.id, accuracy: accuracy, standardError: 0.03, summary: .null, token: token)
            }
            let elsewhere = try await Self.claimed(db, experiment: "other")
            let other = try await store.open(Self.run(variant: "correct"), token: elsewhere)
            try await store.complete(run: other.id, accuracy: 0, standardError: 0, summary: .null, token: elsewhere)

            let table = try await store.experimentTable("grid")
            #expect(table.map(\.variant) == ["base", "correct"])
            #expect(table[1].scores["synthetic"]?.accuracy == 0.9 && table[1].scores["math"]?.accuracy == 0.8)
            #expect(abs(table[0].average - 0.3) < 1e-12 && abs(table[1].average - 0.85) < 1e-12)
            #expect(abs((table[0].averageStandardError ?? 0) - (0.03 * 2.0.squareRoot() / 2)) < 1e-12)
        }
    }

    @Test func resultsOutliveTheJobWhenRetentionPrunesIt() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            let token = try await Self.claimed(db)
            let run = try await store.open(Self.run(), token: token)
            try await store.complete(run: run.id, accuracy: 0.5, standardError: 0.1, summary: .null, token: token)
            try await db.client.query("DELETE FROM jobs WHERE id = \(token.id)")
            #expect(try await store.leaderboard().count == 1)
            #expect(try await store.run(run.id).jobID == nil)
        }
    }
}

extension EvalStoreTests {
    /// The `eval_run_comparisons` view on real rows: flips, accuracies with Wilson bounds, the difference and the exact
    /// McNemar p-value of two runs over the same benchmark, sample by sample (values checked by hand: 5 discordant
    /// pairs all one way give p = 2·(½)⁵ = 0.0625; 8 of 10 has the Wilson interval 0.4901624...0.9433178).
    @Test func twoRunsOverTheSameBenchmarkArePairedSampleBySample() async throws {
        try await withTestDatabase { db in
            let store = EvalStore(client: db.client)
            var ids: [Int64] = []
            for (variant, rightUpTo) in [("correct", 8), ("wrong answers", 3)] {
                let token = try await Self.claimed(db)
                let run = try await store.open(Self.run(variant: variant, configHash: variant, problems: 10, n: 1), token: token)
                for p in 0..<10 { try await store.record(Self.samples("p\(p)", correct: [p < rightUpTo]), run: run.id, token: token) }
                // An extra problem only this run has: not paired, not counted.
                try await store.record(Self.samples("extra-\(variant)", correct: [true]), run: run.id, token: token)
                try await store.complete(run: run.id, accuracy: Double(rightUpTo) / 10, standardError: 0.1, summary: .null, token: token)
                ids.append(run.id)
            }
            let other = try await Self.claimed(db)
            let elsewhere = try await store.open(Self.run("math", problems: 10, n: 1), token: other)
            try await store.record(Self.samples("p0", correct: [true]), run: elsewhere.id, token: other)
            try await store.complete(run: elsewhere.id, accuracy: 1, standardError: 0, summary: .null, token: other)

            let rows = try await db.client.query(
                """
                SELECT paired_samples, paired_problems, both_right, right_to_wrong, wrong_to_right, both_wrong,
                       accuracy_a::float8, accuracy_b::float8, difference::float8, mcnemar_p, accuracy_a_lower, accuracy_a_upper, variant_b
                FROM eval_run_comparisons WHERE run_a = \(ids[0]) AND run_b = \(ids[1])
                """)
            var found = 0
            for try await row in rows {
                found += 1
                let values = try row.decode((Int, Int, Int, Int, Int, Int, Double, Double, Double, Double, Double, Double, String).self)
                #expect(values.0 == 10 && values.1 == 10 && values.2 == 3 && values.3 == 5 && values.4 == 0 && values.5 == 2)
                #expect(values.6 == 0.8 && values.7 == 0.3 && abs(values.8 + 0.5) < 1e-12)
                #expect(abs(values.9 - 0.0625) < 1e-12)
                #expect(abs(values.10 - 0.4901624) < 1e-6 && abs(values.11 - 0.9433178) < 1e-6)
                #expect(values.12 == "wrong answers")
            }
            #expect(found == 1)
            // docs/leaderboards.md's example, with this test's experiment name.
            let example = try await db.client.query(
                """
                SELECT c.variant_a, c.variant_b, c.paired_samples, c.right_to_wrong, c.wrong_to_right,
                       round(100 * c.difference::numeric, 1)::float8 AS diff_points, c.mcnemar_p
                FROM eval_run_comparisons c
                WHERE c.run_a = (SELECT max(run_id) FROM leaderboard_runs
                  WHERE experiment = 'exp' AND variant = 'correct' AND benchmark = 'synthetic')
                  AND c.run_b = (SELECT max(run_id) FROM leaderboard_runs
                  WHERE experiment = 'exp' AND variant = 'wrong answers' AND benchmark = 'synthetic')
                """)
            var exampleRows = 0
            for try await row in example {
                exampleRows += 1
                #expect(try row.decode((String, String, Int, Int, Int, Double, Double).self).5 == -50)
            }
            #expect(exampleRows == 1)
            // A run of another benchmark is paired with neither.
            let crossed = try await db.client.query("SELECT count(*)::int FROM eval_run_comparisons WHERE run_a = \(elsewhere.id)")
            for try await row in crossed { #expect(try row.decode(Int.self) == 0) }
        }
    }
}
