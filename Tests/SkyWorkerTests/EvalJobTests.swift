import Foundation
import PostgresNIO
import SkyCore
@testable import SkyJobs
import SkyStore
import SkyTensor
import SkyTestSupport
import SkyWorker
import Testing

/// Eval jobs end to end on a real database: models and adapters from train jobs, the built-in synthetic
/// benchmark, per-sample rows, summaries, the leaderboard views, and resumption after an interrupted attempt.
@Suite struct EvalJobTests {
    /// An eval of `model` (+ `adapter`) on `perLevel` synthetic problems per level, with short greedy answers.
    static func evalSpec(model: JSONValue, adapter: JSONValue? = nil, perLevel: Int, maxNewTokens: Int = 12,
                         batchSize: Int = 8) -> JSONValue {
        var spec: [String: JSONValue] = [
            "model": model,
            "benchmarks": .array([.object([
                "name": .string("synthetic"),
                "builtin": .object(["seed": .number(0), "perLevel": .number(Double(perLevel))]),
            ])]),
            "prompt": .object(["template": .string("boxed")]), "sampling": .object(["maxNewTokens": .number(Double(maxNewTokens))]),
            "threads": .number(1), "batchSize": .number(Double(batchSize)),
        ]
        spec["adapter"] = adapter
        return .object(spec)
    }

    @Test func trainedAndUntunedModelsAreEvaluatedIntoTheLeaderboardAndTheExperimentTable() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        try await withTestDatabase { db in
            let full = try await db.queue.submit(JobSubmission(kind: .train, spec: .object([
                "baseModel": .object(["path": .string(fixture.model.path)]), "dataset": .object(["path": .string(fixture.dataset.path)]),
                "mode": .string("full"), "optimization": .object(["maxSteps": .number(2), "learningRate": .number(0.001)]),
                "threads": .number(1),
            ]), experiment: "mini"))
            let lora = try await db.queue.submit(JobSubmission(kind: .train, spec: TrainJobTests.loraSpec(
                model: .object(["fromJob": .number(Double(full.id))]), dataset: .object(["path": .string(fixture.dataset.path)]), steps: 2),
                experiment: "mini"))
            let base = try await db.queue.submit(JobSubmission(kind: .eval, spec: Self.evalSpec(
                model: .object(["path": .string(fixture.model.path)]), perLevel: 1), experiment: "mini"))
            let tuned = try await db.queue.submit(JobSubmission(kind: .eval, spec: Self.evalSpec(
                model: .object(["fromJob": .number(Double(full.id))]), adapter: .object(["fromJob": .number(Double(lora.id))]),
                perLevel: 1), experiment: "mini"))
            #expect(tuned.state == .waiting)

            let worker = try await makeWorker(db, executors: [TrainExecutor(), EvalExecutor()], slots: 2)
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(600)) {
                    let (first, second) = (try await db.queue.job(tuned.id), try await db.queue.job(base.id))
                    return first.state.isFinal && second.state.isFinal
                }
                #expect(done)
            }
            for id in [base.id, tuned.id] {
                let job = try await db.queue.job(id)
                let logs = try await db.queue.logs(of: id).map(\.message)
                #expect(job.state == .succeeded && job.progress == 1, "eval job \(id): \(job.error ?? "") \(logs)")
            }

            let store = db.queue.evalStore
            let baseRun = try #require(try await store.runs(ofJob: base.id).first)
            let tunedRun = try #require(try await store.runs(ofJob: tuned.id).first)
            #expect(baseRun.state == "complete" && baseRun.variant == "base" && baseRun.adapter == nil)
            #expect(tunedRun.variant == "correct" && tunedRun.adapter == "job:\(lora.id)" && tunedRun.adapterSHA256 != nil)
            #expect(baseRun.benchmarkSHA256 == tunedRun.benchmarkSHA256 && baseRun.configHash != tunedRun.configHash)
            #expect(baseRun.config["temperature"] == .number(0) && baseRun.config["n"] == .number(1))
            // The kernel family is part of the configuration (results reproduce to the digit only on the same one).
            let kernels = BLASBackend(threads: 1).device.numerics
            #expect(baseRun.config["kernels"] == .string(kernels) && tunedRun.summary?["configuration"]?["kernels"] == .string(kernels))
            let tunedResult = try await db.queue.job(tuned.id).result
            #expect(tunedResult?["device"]?["kernels"] == .string(BLASBackend.coreName))
            let samples = try await store.samples(run: tunedRun.id)
            #expect(samples.count == tunedRun.problems && tunedRun.problems >= 3)
            #expect(samples.allSatisfy { $0.outputTokens > 0 && $0.outputTokens <= 12 && !$0.reason.isEmpty })
            let accuracy = Double(samples.filter(\.correct).count) / Double(samples.count)
            #expect(tunedRun.accuracy == accuracy && tunedRun.summary?["pass_at_k"]?["1"]?.numberValue == accuracy)

            let table = try await store.experimentTable("mini")
            #expect(table.map(\.variant) == ["base", "correct"])
            #expect(table.allSatisfy { $0.scores["synthetic"]?.problems == tunedRun.problems })
            #expect(try await store.leaderboard(benchmark: "synthetic").count == 2)
            let metrics = try await db.queue.metrics(of: tuned.id, key: "accuracy/synthetic")
            #expect(metrics.last?.value == accuracy)
        }
    }

    @Test func aRetriedEvalJobKeepsTheProblemsItsFirstAttemptGraded() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        try await withTestDatabase { db in
            let job = try await db.queue.submit(JobSubmission(kind: .eval, spec: Self.evalSpec(
                model: .object(["path": .string(fixture.model.path)]), perLevel: 4, maxNewTokens: 24, batchSize: 1)))
            let store = db.queue.evalStore

            // The database refuses the third sample, so the first attempt fails after exactly two problems were
            // stored. (Stopping a worker "once a few are stored" raced the eval itself, which can grade every
            // problem between two polls on a loaded host.)
            try await db.client.query("""
                CREATE FUNCTION refuse_third_sample() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (SELECT count(*) FROM eval_samples WHERE run_id = NEW.run_id) >= 2 THEN
                        RAISE EXCEPTION 'test: no room for a third sample';
                    END IF;
                    RETURN NEW;
                END $$
                """)
            try await db.client.query(
                "CREATE TRIGGER refuse_third_sample BEFORE INSERT ON eval_samples FOR EACH ROW EXECUTE FUNCTION refuse_third_sample()")
            // A day's backoff keeps the first worker from claiming the job again before it is stopped.
            let first = try await makeWorker(db, id: "first", executors: [EvalExecutor()], retry: FixedDelay(.seconds(86_400)))
            try await withWorker(first) {
                let failed = try await eventually(timeout: .seconds(300)) {
                    let record = try await db.queue.job(job.id)
                    return record.state == .queued && record.attempt == 1 && record.error != nil
                }
                #expect(failed)
            }
            let run = try #require(try await store.runs(ofJob: job.id).first)
            let firstAttempt = try await store.samples(run: run.id)
            #expect(run.state == "running" && firstAttempt.count == 2 && run.problems > 2)

            try await db.client.query("DROP TRIGGER refuse_third_sample ON eval_samples")
            try await db.client.query("UPDATE jobs SET run_after = now() WHERE id = \(job.id)")
            let second = try await makeWorker(db, id: "second", executors: [EvalExecutor()])
            try await withWorker(second) {
                let done = try await eventually(timeout: .seconds(300)) { try await db.queue.job(job.id).state.isFinal }
                #expect(done)
            }
            let finished = try await db.queue.job(job.id)
            #expect(finished.state == .succeeded && finished.attempt == 2, "\(finished.error ?? "")")
            let all = try await store.samples(run: run.id)
            #expect(all.count == run.problems)
            // The first attempt's samples were kept as they were, not generated again.
            for sample in firstAttempt {
                #expect(all.first { $0.problemID == sample.problemID } == sample)
            }
            let logs = try await db.queue.logs(of: job.id)
            #expect(logs.contains { $0.message.contains("already graded by an earlier attempt") })
            #expect(try await store.run(run.id).state == "complete")
        }
    }
}

@Suite struct VariantLabelTests {
    @Test func perturbationsNameTheRowAsThePaperDoes() {
        func perturbation(_ type: String, _ ratio: Double?) -> JSONValue {
            var fields: [String: JSONValue] = ["type": .string(type)]
            fields["ratio"] = ratio.map(JSONValue.number)
            return .object(fields)
        }
        #expect(VariantLabel.label([perturbation("shuffle", 0.67)]) == "shuffle 67%")
        #expect(VariantLabel.label([perturbation("wrong_answer", nil)]) == "wrong_answer 100%")
        #expect(VariantLabel.label([perturbation("corrupt_digits", 0.2), perturbation("insert", 0.33)]) == "corrupt_digits 20% + insert 33%")
        #expect(VariantLabel.label([]) == "correct")
        #expect(VariantLabel.name(of: InputReference(artifact: "7")) == "artifact:7")
        #expect(VariantLabel.name(of: InputReference(fromJob: 3)) == "job:3")
    }
}

/// Retries after the same delay every time.
private struct FixedDelay: RetryPolicy {
    let delay: Duration
    init(_ delay: Duration) { self.delay = delay }
    func delay(afterAttempt attemptsUsed: Int) -> Duration { delay }
}
