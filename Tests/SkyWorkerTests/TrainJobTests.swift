import Foundation
import SkyCore
@testable import SkyJobs
import SkyStore
import SkyTensor
import SkyTestSupport
import SkyTrain
import SkyWorker
import Synchronization
import Testing

/// Train jobs end to end on a real database: inputs from artifacts and job outputs, metrics, checkpoints, outputs,
/// and a retry that resumes from the checkpoint its predecessor stored.
@Suite struct TrainJobTests {
    /// A short LoRA run: `steps` steps of 2 sequences, checkpoints every 2 steps, eval loss every 3 on an eighth of the
    /// records. Small because SkyTensor's SIMD kernels are slow in debug builds.
    static func loraSpec(model: JSONValue, dataset: JSONValue, steps: Int = 12) -> JSONValue {
        .object([
            "baseModel": model, "dataset": dataset, "mode": .string("lora"), "lora": .object(["r": .number(4)]),
            "optimization": .object([
                "learningRate": .number(0.01), "maxSteps": .number(Double(steps)), "microBatchSize": .number(2), "warmupSteps": .number(2),
            ]),
            "sequences": .object(["maxLength": .number(256)]), "threads": .number(1), "seed": .number(3),
            "checkpointEvery": .number(2), "evalEvery": .number(3), "evalFraction": .number(0.125),
        ])
    }

    static func upload(_ data: Data, kind: ArtifactKind, name: String, to store: PostgresArtifactStore) async throws -> Int64 {
        try await store.store(NewArtifact(kind: kind, name: name), chunks: AsyncStream { $0.yield(data); $0.finish() }).id
    }

    static func extract(_ id: Int64, from store: PostgresArtifactStore) async throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-artifact-\(UUID().uuidString)")
        let file = directory.appendingPathExtension("tar")
        try await store.download(id, to: file)
        try DirectoryArchive.extract(file, into: directory)
        return directory
    }

    @Test func aWorkerTrainsAFullModelAndThenALoRAAdapterOnIt() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let dataset = try await Self.upload(try Data(contentsOf: fixture.dataset), kind: .dataset, name: "short.jsonl", to: store)
            let full = try await db.queue.submit(JobSubmission(kind: .train, spec: .object([
                "baseModel": .object(["path": .string(fixture.model.path)]), "dataset": .object(["path": .string(fixture.dataset.path)]),
                "mode": .string("full"), "optimization": .object(["maxSteps": .number(2), "learningRate": .number(0.001)]),
                "threads": .number(1),
            ])))
            let lora = try await db.queue.submit(JobSubmission(kind: .train, spec: Self.loraSpec(
                model: .object(["fromJob": .number(Double(full.id))]), dataset: .object(["artifact": .string(String(dataset))]), steps: 6)))
            #expect(lora.state == .waiting)

            let worker = try await makeWorker(db, executors: [TrainExecutor()])
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(600)) { try await db.queue.job(lora.id).state.isFinal }
                #expect(done)
            }
            let fullJob = try await db.queue.job(full.id), loraJob = try await db.queue.job(lora.id)
            #expect(fullJob.state == .succeeded, "\(fullJob.error ?? "")")
            #expect(loraJob.state == .succeeded, "\(loraJob.error ?? "")")

            // The full run's output is a model directory the LoRA job trained on.
            let modelID = try #require(fullJob.result?["artifact"]?.numberValue.map(Int64.init))
            #expect(try await store.record(modelID).kind == .model)
            let model = try await Self.extract(modelID, from: store)
            for name in ["config.json", "model.safetensors", "tokenizer.json"] {
                #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(name).path), "\(name)")
            }

            // The LoRA output is a PEFT directory with the spec's rank.
            let adapterID = try #require(loraJob.result?["artifact"]?.numberValue.map(Int64.init))
            #expect(try await store.record(adapterID).kind == .adapter)
            let adapter = try await Self.extract(adapterID, from: store)
            let config = try JSONSerialization.jsonObject(with: Data(contentsOf: adapter.appendingPathComponent("adapter_config.json"))) as? [String: Any]
            #expect(config?["r"] as? Int == 4 && config?["peft_type"] as? String == "LORA")
            #expect(config?["base_model_name_or_path"] as? String == "sky-job:\(full.id)")
            #expect(FileManager.default.fileExists(atPath: adapter.appendingPathComponent("adapter_model.safetensors").path))

            // Per-step metrics, the eval loss every 3 steps, the summary matching the last step.
            for key in ["loss", "learning_rate", "grad_norm", "tokens_per_s", "elapsed_s"] {
                #expect(try await db.queue.metrics(of: lora.id, key: key).map(\.step) == Array(1...6), "\(key)")
            }
            let losses = try await db.queue.metrics(of: lora.id, key: "loss").map(\.value)
            #expect(try await db.queue.metrics(of: lora.id, key: "eval_loss").map(\.step) == [3, 6])
            let rates = try await db.queue.metrics(of: lora.id, key: "learning_rate").map(\.value)
            #expect(zip(rates, [0, 0.005, 0.01]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(rates)")  // warmup over 2 steps
            let summary = try #require(loraJob.result?["summary"])
            #expect(summary["steps"] == .number(6) && summary["finalLoss"] == .number(losses.last!))
            #expect(summary["tokensSeen"]?.numberValue ?? 0 > 0 && summary["peakMemoryBytes"]?.numberValue ?? 0 > 0)
            #expect(losses.suffix(3).reduce(0, +) < losses.prefix(3).reduce(0, +), "\(losses)")
            #expect(loraJob.result?["data"]?["heldOutSequences"] == .number(2))
            // The losses are this host's kernels' (another OpenBLAS core type gives other last bits): the summary says which.
            #expect(summary["device"]?["kernels"] == .string(BLASBackend.coreName) && summary["device"]?["kind"] == .string("cpu"))
            // Only the newest checkpoint is kept: the one of step 4 (none is written after the last step).
            let checkpoints = try await store.list(kind: .checkpoint, jobID: lora.id, limit: 10)
            #expect(checkpoints.map { $0.metadata["step"] } == [.number(4)])
        }
    }

    @Test func cancellingATrainJobStopsItAtTheNextStep() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        let spec = Self.loraSpec(model: .object(["path": .string(fixture.model.path)]), dataset: .object(["path": .string(fixture.dataset.path)]),
                                 steps: 10_000)
        try await withTestDatabase { db in
            let job = try await db.queue.submit(JobSubmission(kind: .train, spec: spec))
            let worker = try await makeWorker(db, executors: [TrainExecutor()])
            try await withWorker(worker) {
                let training = try await eventually(timeout: .seconds(300)) { try await !db.queue.metrics(of: job.id, key: "loss").isEmpty }
                #expect(training)
                _ = try await db.queue.cancel(job.id)
                let cancelled = try await eventually(timeout: .seconds(60)) { try await db.queue.job(job.id).state == .cancelled }
                #expect(cancelled)
            }
            let steps = try await db.queue.metrics(of: job.id, key: "loss").count
            #expect(steps < 100, "a cancelled run took \(steps) steps")
        }
    }

    /// Runs the train executor until its job has stored a checkpoint, then stops it and fails the attempt, as a
    /// worker dying mid-run would; when the run ends before that, the attempt fails all the same.
    /// Attempt 1: trains until its first checkpoint is stored, stops, records the newest checkpoint's step and
    /// fails. Later attempts: the real executor. One worker can then run the whole story, so the test does not
    /// depend on which worker wins the claim of attempt 2.
    struct InterruptedTrainExecutor: JobExecutor {
        let kind = JobKind.train
        let store: PostgresArtifactStore
        let interruptedAt = InterruptionStep()

        func run(_ context: JobContext) async throws -> JSONValue? {
            guard context.attempt == 1 else { return try await TrainExecutor().run(context) }
            let finished = StopFlag()
            let training = Task {
                defer { finished.raise() }
                return try await TrainExecutor().run(context)
            }
            while try await store.list(kind: .checkpoint, jobID: context.jobID, limit: 1).isEmpty, !finished.isRaised {
                try await Task.sleep(for: .milliseconds(5))
            }
            training.cancel()
            _ = await training.result
            let steps = try await store.list(kind: .checkpoint, jobID: context.jobID, limit: 10).compactMap { $0.metadata["step"]?.numberValue }
            interruptedAt.step.withLock { $0 = steps.max().map { Int($0) } }
            throw InterruptedAttempt()
        }
    }

    struct InterruptedAttempt: Error {}

    /// The step of the checkpoint attempt 1 left behind, shared between the executor and the test.
    final class InterruptionStep: Sendable {
        let step = Mutex<Int?>(nil)
    }

    @Test func aRetryResumesFromTheCheckpointAndEndsWithTheUninterruptedLoss() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        // Long enough that attempt 1 is stopped well before its end.
        let spec = Self.loraSpec(model: .object(["path": .string(fixture.model.path)]), dataset: .object(["path": .string(fixture.dataset.path)]),
                                 steps: 12)
        // The same run without a server or an interruption.
        // On a thread of its own: minutes of BLAS on the cooperative pool would starve the heartbeats of tests running beside it.
        let expected = try #require(try await OwnThread.run {
            var reference = try TrainSession(spec: try TrainSpec.decodeValidated(from: spec.encoded()), modelDirectory: fixture.model,
                                             datasetFile: fixture.dataset)
            return try reference.run.run().finalLoss
        })

        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let job = try await db.queue.submit(JobSubmission(kind: .train, spec: spec, maxAttempts: 2))
            let executor = InterruptedTrainExecutor(store: store)
            let worker = try await makeWorker(db, executors: [executor], retry: ExponentialBackoff(cap: .zero))
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(600)) { try await db.queue.job(job.id).state.isFinal }
                #expect(done)
            }
            let resumedAt = Double(try #require(executor.interruptedAt.step.withLock { $0 }))
            let record = try await db.queue.job(job.id)
            #expect(record.state == .succeeded && record.attemptsUsed == 2, "\(record.error ?? "")")
            let summary = try #require(record.result?["summary"])
            let logs = try await db.queue.logs(of: job.id).map { "\($0.token.attempt) \($0.level): \($0.message)" }
            #expect(summary["resumedFromStep"] == .number(resumedAt) && resumedAt >= 2, "\(logs)")
            let finalLoss = try #require(summary["finalLoss"]?.numberValue)
            #expect(abs(finalLoss - expected) <= 1e-6 * abs(expected), "resumed \(finalLoss), uninterrupted \(expected)")
            // Attempt 1 stopped at the step it checkpointed and attempt 2 went on from there: every step ran exactly once.
            let points = try await db.queue.metrics(of: job.id, key: "loss")
            #expect(points.map(\.step) == Array(1...12))
            #expect(points.filter { $0.token.attempt == 1 }.map(\.step).last == Int(resumedAt))
        }
    }
}
