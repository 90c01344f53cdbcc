import Foundation
import PostgresNIO
import SkyClient
import SkyCore
import SkyEval
import SkyStore
import SkyTestSupport
import Testing

/// `skyctl reproduce` on real train and eval jobs run by the test server's worker: a rerun from the stored spec and
/// inputs repeats every artifact, metric and sample bit for bit on the same machine, and two jobs that differ are
/// reported with the first sample where they part.
@Suite struct ReproduceCommandTests {
    static let train: JSONValue = .object([
        "baseModel": .object(["init": .object(["preset": .string("tiny"), "seed": .number(0), "vocabSize": .number(300)])]),
        "dataset": .object(["synthetic": .object(["seed": .number(0), "count": .number(8), "demonstrations": .string("short")])]),
        "mode": .string("full"), "threads": .number(1), "sequences": .object(["maxLength": .number(96)]),
        "optimization": .object(["maxSteps": .number(3), "learningRate": .number(0.003), "microBatchSize": .number(4)]),
    ])

    static func eval(model: Int64, sampling: [String: JSONValue]) -> JSONValue {
        .object([
            "model": .object(["fromJob": .number(Double(model))]),
            "benchmarks": .array([.object(["name": .string("synthetic"), "builtin": .object(["seed": .number(0), "perLevel": .number(1)])])]),
            "prompt": .object(["template": .string("boxed")]), "sampling": .object(sampling), "threads": .number(1),
            "batchSize": .number(8), "seed": .number(5),
        ])
    }

    @Test func aRerunRepeatsTrainAndEvalOutputsBitForBitAndADifferentJobIsCaught() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let queue = server.database.queue
            let trained = try await queue.submit(JobSubmission(kind: .train, spec: Self.train, experiment: "repro"))
            let greedy = try await queue.submit(JobSubmission(kind: .eval, spec: Self.eval(
                model: trained.id, sampling: ["maxNewTokens": .number(8)]), experiment: "repro"))
            let sampled = try await queue.submit(JobSubmission(kind: .eval, spec: Self.eval(
                model: trained.id, sampling: ["maxNewTokens": .number(8), "temperature": .number(1)]), experiment: "repro"))
            for id in [trained.id, greedy.id, sampled.id] {
                let job = try await EvalGradingCommandTests.waitFinal(id, server)
                #expect(job.state == .succeeded, "job \(id): \(job.error ?? "")")
            }
            let run = try #require(try await EvalStore(client: server.database.client).runs(ofJob: greedy.id).first)
            #expect(run.environment?["device"]?["kernels"]?.stringValue?.isEmpty == false && run.environment?["threads"] == .number(1))
            #expect(run.trainSeed == 0)

            // A run stored before gold answers were kept is rescored through its job's benchmark, loaded again and
            // checked against the run's SHA-256: integer answers, so no verdict moves.
            try await server.database.client.query("UPDATE eval_samples SET gold = NULL WHERE run_id = \(run.id)")
            try await server.database.client.query("UPDATE eval_runs SET grader = '0.9.0+old' WHERE id = \(run.id)")
            let rescore = try await runSkyctl(["eval", "rescore", String(run.id)], environment: environment)
            #expect(rescore.status == 0, "\(rescore.stdout)\(rescore.stderr)")
            let rescored = try await EvalStore(client: server.database.client).run(run.id)
            #expect(rescored.grader == GraderVersion.current && rescored.accuracy == run.accuracy, "\(rescore.stdout)")

            let train = try await runSkyctl(["reproduce", String(trained.id)], environment: environment)
            #expect(train.status == 0, "\(train.stdout)\(train.stderr)")
            #expect(train.stdout.contains("reproduces job \(trained.id) bit for bit") && train.stdout.contains("model: identical"),
                    "\(train.stdout)")
            #expect(train.stdout.contains("metrics equal at every step:") && train.stdout.contains("loss"))

            let eval = try await runSkyctl(["reproduce", String(greedy.id)], environment: environment)
            #expect(eval.status == 0, "\(eval.stdout)\(eval.stderr)")
            #expect(eval.stdout.contains("synthetic: ") && eval.stdout.contains("samples identical, outputs and verdicts"), "\(eval.stdout)")
            // The rerun stays out of the experiment, so its table still has one row per variant.
            let table = try await EvalStore(client: server.database.client).experimentTable("repro")
            let rerun = try #require(eval.stderr.split(separator: " ").last.flatMap { Int64($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
            #expect(try await server.database.queue.job(rerun).tags == ["reproduce-of:\(greedy.id)"])
            #expect(table.count == 1 && [greedy.id, sampled.id].contains(table[0].scores["synthetic"]?.jobID ?? 0))

            let differ = try await runSkyctl(["reproduce", String(greedy.id), "--with", String(sampled.id)], environment: environment)
            #expect(differ.status == 1, "\(differ.stdout)\(differ.stderr)")
            #expect(differ.stdout.contains("job \(sampled.id) does NOT reproduce job \(greedy.id)") && differ.stdout.contains("first at problem"),
                    "\(differ.stdout)")

            let refused = try await runSkyctl(["reproduce", String(greedy.id), "--with", String(trained.id)], environment: environment)
            #expect(refused.status == 65 && refused.stderr.contains("is a train job"), "\(refused.stderr)")
        }
    }
}
