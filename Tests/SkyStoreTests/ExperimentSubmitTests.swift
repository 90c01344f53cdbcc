import Foundation
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct ExperimentSubmitTests {
    /// Two variants on a model and dataset given by path: a base eval, then perturb → train → eval per variant.
    static func plan() throws -> ExperimentPlan {
        let document = """
            {"experiment": "resubmit", "baseModel": {"path": "/models/tiny"}, "dataset": {"path": "/data/long.jsonl"},
             "variants": [{"name": "a"}, {"name": "b", "perturbations": [{"type": "shuffle", "ratio": 1}]}],
             "benchmarks": [{"synthetic": {"perLevel": 1}}]}
            """
        return try ExperimentExpander.plan(JSONValue.parse(Data(document.utf8)))
    }

    @Test func aResubmissionReusesEveryJobThatIsDoneOrOnItsWay() async throws {
        try await withTestDatabase { db in
            let plan = try Self.plan()
            let first = try await db.queue.submitExperiment(plan)
            #expect(first.count == 7 && first.allSatisfy { $0.action == .new && $0.id != nil })
            #expect(first.map(\.state) == [.queued, .queued, .queued, .waiting, .waiting, .waiting, .waiting])
            let job = try await db.queue.job(first[5].id!)
            #expect(job.experiment == "resubmit" && job.name == "eval a" && job.tags == ["stage:eval", "variant:a", "benchmark:synthetic"])
            #expect(job.idempotencyKey == plan.jobs[5].key && job.dependsOn == [first[3].id!])

            let again = try await db.queue.submitExperiment(plan)
            #expect(again.allSatisfy { $0.action == .reused } && again.map(\.id) == first.map(\.id))
            let dry = try await db.queue.submitExperiment(plan, dryRun: true)
            #expect(dry.allSatisfy { $0.action == .reused })
        }
    }

    @Test func aFailedJobIsRerunWithEverythingDownstreamOfIt() async throws {
        try await withTestDatabase { db in
            let plan = try Self.plan()
            let first = try await db.queue.submitExperiment(plan)
            let perturbA = first[1].id!, perturbB = first[2].id!
            let claimed = try await db.queue.claim(for: .test(kinds: [.perturb]), limit: 10, lease: .seconds(30))
            #expect(Set(claimed.map(\.id)) == [perturbA, perturbB])
            for run in claimed {
                let outcome: JobOutcome = run.id == perturbA
                    ? .succeeded(result: .object(["artifact": .number(1)])) : .failed(error: "bad data", permanent: true, retryDelay: .zero)
                try await db.queue.complete([JobCompletion(token: run.token, outcome: outcome)], workerID: "test-worker")
            }
            #expect(try await db.queue.job(first[4].id!).state == .cancelled)

            let dry = try await db.queue.submitExperiment(plan, dryRun: true)
            #expect(dry.map(\.action) == [.reused, .reused, .rerun, .reused, .rerun, .reused, .rerun])
            #expect(dry[2].id == nil && dry[2].idempotencyKey == plan.jobs[2].key + "#2")
            #expect(try await db.queue.submitExperiment(plan, dryRun: true).map(\.action) == dry.map(\.action))

            let second = try await db.queue.submitExperiment(plan)
            #expect(second.map(\.action) == dry.map(\.action))
            let reruns = second.filter { $0.action == .rerun }
            #expect(reruns.allSatisfy { $0.id != nil && !first.map(\.id).contains($0.id) })
            let train = try await db.queue.job(second[4].id!)
            #expect(train.spec["dataset"] == .object(["fromJob": .number(Double(second[2].id!))]) && train.state == .waiting)
            #expect(train.idempotencyKey == plan.jobs[4].key + "#2")
            let eval = try await db.queue.job(second[6].id!)
            #expect(eval.dependsOn == [second[4].id!])
            #expect(try await db.queue.submitExperiment(plan).allSatisfy { $0.action == .reused })
        }
    }

    @Test func variantsWithTheSameContentShareTheirJobs() async throws {
        try await withTestDatabase { db in
            let document = """
                {"experiment": "twins", "baseModel": {"path": "/m"}, "dataset": {"path": "/d.jsonl"},
                 "variants": [{"name": "a"}, {"name": "b"}], "benchmarks": [{"synthetic": {}}]}
                """
            let plan = try ExperimentExpander.plan(JSONValue.parse(Data(document.utf8)))
            let outcomes = try await db.queue.submitExperiment(plan)
            #expect(outcomes[1].id == outcomes[2].id && outcomes[3].id == outcomes[4].id && outcomes[5].id != outcomes[6].id)
            #expect(try await db.queue.jobs(experiment: "twins").count == 5)
        }
    }
}
