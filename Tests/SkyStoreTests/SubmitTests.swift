import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct SubmitTests {
    @Test func aSubmittedJobIsQueuedWithItsNormalisedSpecAndACreationEvent() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep(1.5, experiment: "exp"))
            #expect(submitted.state == .queued && submitted.created)
            let job = try await db.queue.job(submitted.id)
            #expect(job.state == .queued)
            #expect(job.spec["durationSeconds"] == .number(1.5))
            #expect(job.spec["failureProbability"] == .number(0))
            #expect(job.experiment == "exp")
            let events = try await db.queue.events(of: submitted.id)
            #expect(events.map(\.to) == [.queued])
            #expect(events.first?.from == nil)
        }
    }

    @Test func invalidSubmissionsAreRejectedWithPointersAndNothingIsStored() async throws {
        try await withTestDatabase { db in
            let good = JobSubmission.sleep()
            var bad = JobSubmission.sleep()
            bad.spec = .object(["durationSeconds": .string("long")])
            bad.priority = 5000
            let error = await #expect(throws: JobQueueError.self) { try await db.queue.submitMany([good, bad]) }
            guard case .invalid(let validation)? = error else {
                Issue.record("expected a validation error, got \(String(describing: error))")
                return
            }
            #expect(validation.issues.map(\.pointer) == ["/jobs/1/spec/durationSeconds", "/jobs/1/priority"])
            let counts = try await db.queue.countsByState()
            #expect(counts.isEmpty)
        }
    }

    @Test func resubmittingWithTheSameKeyReturnsTheFirstJob() async throws {
        try await withTestDatabase { db in
            let first = try await db.queue.submit(.sleep(key: "run-42"))
            let again = try await db.queue.submit(.sleep(5, key: "run-42"))
            #expect(again.id == first.id)
            #expect(!again.created)
            #expect(try await db.queue.countsByState()[.queued] == 1)
        }
    }

    @Test func concurrentSubmitsWithOneKeyCreateOneJob() async throws {
        try await withTestDatabase { db in
            let results = try await withThrowingTaskGroup(of: SubmittedJob.self) { group in
                for _ in 0..<8 { group.addTask { try await db.queue.submit(.sleep(key: "same")) } }
                return try await group.reduce(into: [SubmittedJob]()) { $0.append($1) }
            }
            #expect(Set(results.map(\.id)).count == 1)
            #expect(results.filter(\.created).count == 1)
        }
    }

    @Test func unknownDependencyIsRejected() async throws {
        try await withTestDatabase { db in
            await #expect(throws: JobQueueError.unknownDependency(index: 0, id: 999)) {
                try await db.queue.submit(.sleep(dependsOn: [999]))
            }
        }
    }

    @Test func aSpecNamingAnotherJobsOutputDependsOnIt() async throws {
        try await withTestDatabase { db in
            let producer = try await db.queue.submit(.sleep())
            let consumer = try await db.queue.submit(.sleep(extra: ["output": .object(["fromJob": .number(Double(producer.id))])]))
            #expect(consumer.state == .waiting)
            #expect(try await db.queue.job(consumer.id).dependsOn == [producer.id])
        }
    }
}
