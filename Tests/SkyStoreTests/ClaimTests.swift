import Foundation
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct ClaimTests {
    @Test func claimsByPriorityThenAge() async throws {
        try await withTestDatabase { db in
            let low = try await db.queue.submit(.sleep(priority: 0))
            let high = try await db.queue.submit(.sleep(priority: 10))
            let lowLater = try await db.queue.submit(.sleep(priority: 0))
            let claimed = try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30))
            #expect(claimed.map(\.id) == [high.id, low.id, lowLater.id])
            #expect(claimed.allSatisfy { $0.attempt == 1 && $0.attemptsUsed == 1 && !$0.retakenFromExpiredLease })
            let job = try await db.queue.job(high.id)
            #expect(job.state == .running && job.workerID == "test-worker" && job.leaseExpiresAt != nil)
        }
    }

    @Test func claimsRespectQueuesKindsAndRequirements() async throws {
        try await withTestDatabase { db in
            let gpuJob = try await db.queue.submit(.sleep(requirements: JobRequirements(backend: "cuda", minMemoryMB: 40_000)))
            let labelled = try await db.queue.submit(.sleep(requirements: JobRequirements(labels: ["big-disk"])))
            let otherQueue = try await db.queue.submit(.sleep(queue: "gpu"))
            let plain = try await db.queue.submit(.sleep())

            let cpu = try await db.queue.claim(for: .test("cpu"), limit: 10, lease: .seconds(30))
            #expect(cpu.map(\.id) == [plain.id])

            let gpu = WorkerIdentity.test("gpu", queues: ["default", "gpu"],
                                          capabilities: WorkerCapabilities(backend: "cuda", memoryMB: 80_000, labels: ["big-disk"]))
            let claimed = try await db.queue.claim(for: gpu, limit: 10, lease: .seconds(30))
            #expect(Set(claimed.map(\.id)) == [gpuJob.id, labelled.id, otherQueue.id])

            let wrongKind = WorkerIdentity.test("trainer", kinds: [.train])
            _ = try await db.queue.submit(.sleep())
            #expect(try await db.queue.claim(for: wrongKind, limit: 10, lease: .seconds(30)).isEmpty)
        }
    }

    @Test func aJobWhoseRunAfterIsInTheFutureIsNotClaimed() async throws {
        try await withTestDatabase { db in
            var later = JobSubmission.sleep()
            later.runAfter = Date().addingTimeInterval(3600)
            _ = try await db.queue.submit(later)
            #expect(try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30)).isEmpty)
        }
    }

    @Test func concurrentClaimersNeverClaimAJobTwice() async throws {
        try await withTestDatabase { db in
            let total = 400
            _ = try await db.queue.submitMany(Array(repeating: .sleep(), count: total))
            // Eight claimers on their own clients, as if eight hosts, each taking small batches until empty.
            let claims = try await withThrowingTaskGroup(of: [JobToken].self) { group in
                for index in 0..<8 {
                    group.addTask {
                        try await withRunningClient(PostgresClient(configuration: db.configuration)) { client in
                            let queue = JobQueue(client: client)
                            var mine: [JobToken] = []
                            while true {
                                let batch = try await queue.claim(for: .test("claimer-\(index)"), limit: 7, lease: .seconds(30))
                                if batch.isEmpty { return mine }
                                mine += batch.map(\.token)
                            }
                        }
                    }
                }
                return try await group.reduce(into: [JobToken]()) { $0 += $1 }
            }
            #expect(claims.count == total)
            #expect(Set(claims.map(\.id)).count == total)
            #expect(claims.allSatisfy { $0.attempt == 1 })
        }
    }

    @Test func anExpiredLeaseIsReclaimedAsTheNextAttempt() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            // A long lease, expired by hand below: a short one could run out before the first check on a loaded host.
            let first = try await db.queue.claim(for: .test("dies"), limit: 1, lease: .seconds(600))
            #expect(first.map(\.attempt) == [1])
            #expect(try await db.queue.claim(for: .test("other"), limit: 1, lease: .seconds(30)).isEmpty)
            try await db.client.query("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = \(job.id)")
            let second = try await db.queue.claim(for: .test("other"), limit: 1, lease: .seconds(30))
            #expect(second.map(\.id) == [job.id])
            #expect(second.first?.attempt == 2)
            #expect(second.first?.retakenFromExpiredLease == true)
            let events = try await db.queue.events(of: job.id)
            #expect(events.last?.reason == "claimed after the previous lease expired")
        }
    }

    @Test func heartbeatsExtendLeasesAndReportLostOnes() async throws {
        try await withTestDatabase { db in
            _ = try await db.queue.submitMany([.sleep(), .sleep()])
            let claimed = try await db.queue.claim(for: .test(), limit: 2, lease: .milliseconds(300))
            let before = try await db.queue.job(claimed[0].id).leaseExpiresAt!
            let stale = JobToken(id: claimed[1].id, attempt: 99)
            let (held, cancel) = try await db.queue.heartbeat(
                workerID: "test-worker", tokens: [claimed[0].token, stale], lease: .seconds(30), slotsInUse: 2)
            #expect(held == [claimed[0].token])
            #expect(cancel.isEmpty)
            #expect(try await db.queue.job(claimed[0].id).leaseExpiresAt! > before.addingTimeInterval(10))
        }
    }
}

/// One vocabulary of backends in the queue: a spec's backend becomes the job's requirement, `cpu` is stored as `blas`,
/// and rows written under the old name are renamed by migration 0007.
@Suite struct BackendRequirementTests {
    static func train(backend: String, requirements: JobRequirements = JobRequirements()) -> JobSubmission {
        JobSubmission(kind: .train, spec: .object([
            "baseModel": .object(["path": .string("/models/tiny")]), "dataset": .object(["path": .string("/data/d.jsonl")]),
            "backend": .string(backend),
        ]), requirements: requirements)
    }

    @Test func aSpecThatNamesCudaIsClaimedOnlyByACudaWorker() async throws {
        try await withTestDatabase { db in
            let cuda = try await db.queue.submit(Self.train(backend: "cuda"))
            let auto = try await db.queue.submit(Self.train(backend: "auto"))
            #expect(try await db.queue.job(cuda.id).requirements.backend == "cuda")
            #expect(try await db.queue.job(auto.id).requirements.backend == nil)
            let blasWorker = WorkerIdentity.test("blas", kinds: [.train])
            #expect(try await db.queue.claim(for: blasWorker, limit: 10, lease: .seconds(30)).map(\.id) == [auto.id])
            let cudaWorker = WorkerIdentity.test("gpu", kinds: [.train], capabilities: WorkerCapabilities(backend: "cuda", memoryMB: 80_000))
            #expect(try await db.queue.claim(for: cudaWorker, limit: 10, lease: .seconds(30)).map(\.id) == [cuda.id])
        }
    }

    @Test func aRequirementThatContradictsTheSpecIsRejectedAndTheOldNameIsStoredAsBlas() async throws {
        try await withTestDatabase { db in
            let error = await #expect(throws: JobQueueError.self) {
                try await db.queue.submit(Self.train(backend: "cuda", requirements: JobRequirements(backend: "blas")))
            }
            guard case .invalid(let validation)? = error else {
                Issue.record("expected a validation error, got \(String(describing: error))")
                return
            }
            #expect(validation.issues.map(\.pointer) == ["/requirements/backend"])
            let old = try await db.queue.submit(.sleep(requirements: JobRequirements(backend: "cpu")))
            #expect(try await db.queue.job(old.id).requirements.backend == "blas")
            #expect(try await db.queue.claim(for: .test("old-name", capabilities: WorkerCapabilities(backend: "cpu", memoryMB: 1024)),
                                             limit: 10, lease: .seconds(30)).map(\.id) == [old.id])
        }
    }
}
