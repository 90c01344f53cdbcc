import Foundation
import SkyCore
import SkyJobs
import SkyStore
import SkyTestSupport
import SkyWorker
import Testing

@Suite struct PerturbJobTests {
    @Test func perturbJobsReadArtifactsAndChainThroughJobOutputs() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let source = try await store.store(
                NewArtifact(kind: .dataset, name: "correct.jsonl"), chunks: AsyncStream { $0.yield(skyT1Records(6)); $0.finish() })
            let shuffle = JobSubmission(kind: .perturb, spec: .object([
                "dataset": .object(["artifact": .string(String(source.id))]),
                "perturbations": .array([.object(["type": .string("shuffle"), "ratio": .number(1)])]),
                "seed": .number(7),
            ]))
            let first = try await db.queue.submit(shuffle)
            let digits = JobSubmission(kind: .perturb, spec: .object([
                "dataset": .object(["fromJob": .number(Double(first.id))]),
                "perturbations": .array([.object(["type": .string("corrupt_digits"), "ratio": .number(1)])]),
                "seed": .number(7),
            ]))
            let second = try await db.queue.submit(digits)
            #expect(second.state == .waiting)

            let worker = try await makeWorker(db, executors: [PerturbExecutor()])
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(120)) { try await db.queue.job(second.id).state.isFinal }
                #expect(done)
            }
            let firstJob = try await db.queue.job(first.id)
            let secondJob = try await db.queue.job(second.id)
            #expect(firstJob.state == .succeeded, "\(firstJob.error ?? "")")
            #expect(secondJob.state == .succeeded, "\(secondJob.error ?? "")")
            #expect(firstJob.result?["records"] == .number(6))

            // The output is a dataset artifact carrying its lineage, produced by the job's run.
            let outputID = try #require(secondJob.result?["artifact"]?.numberValue.map(Int64.init))
            let output = try await store.record(outputID)
            #expect(output.kind == .dataset && output.producedBy?.id == second.id)
            // Lineage: the second dataset's source is exactly the first job's output.
            #expect(output.metadata["source"]?["sha256"] == firstJob.result?["sha256"])
            #expect(output.metadata["output"]?["sha256"] == .string(output.sha256))
            var bytes = Data()
            try await store.read(outputID) { bytes.append($0) }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.split(separator: "\n").count == 6)
            #expect(!text.contains("Step 1 of problem 5: compute 6 + 1."))  // every number was replaced
            #expect(try await db.queue.metrics(of: first.id, key: "records/written").map(\.value) == [6])
        }
    }

    @Test func aWrongAnswerJobLogsHowManyAnswersItLeftUnchanged() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            // Five numeric answers and one name, for which no wrong answer of its kind exists.
            let name = #"{"conversations": [{"from": "user", "value": "Who won?"}, {"from": "assistant", "value": "<|begin_of_thought|>\n\nEvelyn.\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n\\boxed{\\text{Evelyn}}\n\n<|end_of_solution|>"}]}"#
            let source = try await store.store(
                NewArtifact(kind: .dataset, name: "correct.jsonl"),
                chunks: AsyncStream { $0.yield(skyT1Records(5) + Data((name + "\n").utf8)); $0.finish() })
            let job = try await db.queue.submit(JobSubmission(kind: .perturb, spec: .object([
                "dataset": .object(["artifact": .string(String(source.id))]),
                "perturbations": .array([.object(["type": .string("wrong_answer"), "ratio": .number(1)])]),
            ])))
            let worker = try await makeWorker(db, executors: [PerturbExecutor()])
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(120)) { try await db.queue.job(job.id).state.isFinal }
                #expect(done)
            }
            let record = try await db.queue.job(job.id)
            #expect(record.state == .succeeded, "\(record.error ?? "")")
            let summary = "wrong_answer: 5 of 6 selected answers changed; 1 unchanged: no wrong answer of this kind (text: 1)"
            #expect(try await db.queue.logs(of: job.id).map(\.message).contains(summary))
            guard case .array(let statistics)? = record.result?["manifest"]?["statistics"] else {
                Issue.record("no statistics in the job's manifest")
                return
            }
            #expect(statistics.first?["summary"] == .string(summary))
            #expect(try await db.queue.metrics(of: job.id, key: "wrong_answer/unchangedNoWrongAnswer").map(\.value) == [1])
        }
    }

    @Test func aMissingInputArtifactFailsPermanently() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(JobSubmission(kind: .perturb, spec: .object([
                "dataset": .object(["artifact": .string("424242")]),
                "perturbations": .array([.object(["type": .string("shuffle")])]),
            ]), maxAttempts: 3))
            let worker = try await makeWorker(db, executors: [PerturbExecutor()])
            try await withWorker(worker) {
                let done = try await eventually { try await db.queue.job(job.id).state == .failed }
                #expect(done)
            }
            let record = try await db.queue.job(job.id)
            #expect(record.attemptsUsed == 1 && record.error == "input artifact 424242 does not exist")
        }
    }
}
