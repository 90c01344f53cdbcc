import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// Claims and finishes the one claimable job, asserting it is `expected`.
func runNext(_ queue: JobQueue, expecting expected: Int64, outcome: JobOutcome = .succeeded(result: nil)) async throws {
    let claimed = try await queue.claim(for: .test(), limit: 10, lease: .seconds(30))
    #expect(claimed.map(\.id) == [expected])
    if let run = claimed.first { try await queue.complete([JobCompletion(token: run.token, outcome: outcome)], workerID: "test-worker") }
}

@Suite struct DependencyTests {
    @Test func aChainRunsInOrderAndPassesOutputs() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep())
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            let c = try await db.queue.submit(.sleep(dependsOn: [b.id]))
            #expect([b.state, c.state] == [.waiting, .waiting])
            try await runNext(db.queue, expecting: a.id, outcome: .succeeded(result: .string("dataset-a")))
            #expect(try await db.queue.job(b.id).state == .queued)
            #expect(try await db.queue.dependencyOutputs(of: b.id) == [a.id: .string("dataset-a")])
            try await runNext(db.queue, expecting: b.id)
            try await runNext(db.queue, expecting: c.id)
            #expect(try await db.queue.job(c.id).state == .succeeded)
            #expect(try await db.queue.events(of: b.id).map(\.to) == [.waiting, .queued, .running, .succeeded])
        }
    }

    @Test func aFailureCancelsEveryTransitiveDependentWithTheReason() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep(maxAttempts: 1))
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            let c = try await db.queue.submit(.sleep(dependsOn: [b.id]))
            let unrelated = try await db.queue.submit(.sleep())
            let claimed = try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30))
            #expect(Set(claimed.map(\.id)) == [a.id, unrelated.id])
            let runA = claimed.first { $0.id == a.id }!
            try await db.queue.complete([JobCompletion(token: runA.token, outcome: .failed(error: "bad data", permanent: false, retryDelay: .zero))], workerID: "w")
            let jobB = try await db.queue.job(b.id)
            let jobC = try await db.queue.job(c.id)
            #expect(jobB.state == .cancelled && jobB.error == "cancelled: dependency \(a.id) failed")
            #expect(jobC.state == .cancelled && jobC.error == "cancelled: dependency \(b.id) was cancelled")
            #expect(try await db.queue.job(unrelated.id).state == .running)
        }
    }

    @Test func aDiamondWaitsForBothBranches() async throws {
        try await withTestDatabase { db in
            let root = try await db.queue.submit(.sleep())
            let left = try await db.queue.submit(.sleep(dependsOn: [root.id]))
            let right = try await db.queue.submit(.sleep(dependsOn: [root.id]))
            let join = try await db.queue.submit(.sleep(dependsOn: [left.id, right.id]))
            try await runNext(db.queue, expecting: root.id)
            let branches = try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30))
            #expect(Set(branches.map(\.id)) == [left.id, right.id])
            let leftRun = branches.first { $0.id == left.id }!
            let rightRun = branches.first { $0.id == right.id }!
            try await db.queue.complete([JobCompletion(token: leftRun.token, outcome: .succeeded(result: nil))], workerID: "w")
            var joined = try await db.queue.job(join.id)
            #expect(joined.state == .waiting)
            try await db.queue.complete([JobCompletion(token: rightRun.token, outcome: .succeeded(result: nil))], workerID: "w")
            joined = try await db.queue.job(join.id)
            #expect(joined.state == .queued)
            try await runNext(db.queue, expecting: join.id)
        }
    }

    @Test func dependingOnAnAlreadyFailedJobIsCancelledAtOnce() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep(maxAttempts: 1))
            try await runNext(db.queue, expecting: a.id, outcome: .failed(error: "x", permanent: true, retryDelay: .zero))
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            #expect(b.state == .cancelled)
            #expect(try await db.queue.job(b.id).error == "cancelled: dependency \(a.id) failed")
        }
    }

    @Test func dependingOnASucceededJobIsQueuedAtOnce() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep())
            try await runNext(db.queue, expecting: a.id)
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            #expect(b.state == .queued)
        }
    }
}
