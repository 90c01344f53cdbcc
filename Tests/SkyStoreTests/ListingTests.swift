import Foundation
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct ListingTests {
    @Test func listingFiltersAndPagesNewestFirst() async throws {
        try await withTestDatabase { db in
            var tagged = JobSubmission.sleep(experiment: "exp-a")
            tagged.tags = ["baseline"]
            let a = try await db.queue.submitMany(Array(repeating: tagged, count: 5))
            _ = try await db.queue.submitMany(Array(repeating: .sleep(experiment: "exp-b"), count: 3))
            var seen: [Int64] = []
            var cursor: Int64?
            repeat {
                let page = try await db.queue.list(JobFilter(experiment: "exp-a"), after: cursor, limit: 2)
                seen += page.jobs.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(seen == a.map(\.id).reversed())
            #expect(try await db.queue.list(JobFilter(tag: "baseline")).jobs.count == 5)
            #expect(try await db.queue.list(JobFilter(states: [.running])).jobs.isEmpty)
            #expect(try await db.queue.list(JobFilter(kind: .sleep, createdAfter: Date().addingTimeInterval(3600))).jobs.isEmpty)
        }
    }

    @Test func aPausedQueueIsNotClaimedUntilResumed() async throws {
        try await withTestDatabase { db in
            try await db.queue.pause(queue: "default", by: "ops", reason: "maintenance")
            let job = try await db.queue.submit(.sleep())
            #expect(try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30)).isEmpty)
            let summary = try await db.queue.queues().first { $0.name == "default" }
            #expect(summary?.paused == true && summary?.counts[.queued] == 1 && summary?.oldestQueuedAge != nil)
            try await db.queue.resume(queue: "default")
            #expect(try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30)).map(\.id) == [job.id])
        }
    }

    @Test func workersAreListedWithTheirRunningJobs() async throws {
        try await withTestDatabase { db in
            let registry = WorkerRegistry(client: db.client)
            let identity = WorkerIdentity.test("w1")
            try await registry.register(identity, host: "gpu-7", pid: 42, version: "test", slots: 2)
            let job = try await db.queue.submit(.sleep())
            _ = try await db.queue.claim(for: identity, limit: 1, lease: .seconds(30))
            var workers = try await registry.list()
            #expect(workers.map(\.id) == ["w1"] && workers.first?.runningJobs == [job.id] && workers.first?.host == "gpu-7")
            try await registry.markStopped("w1")
            workers = try await registry.list()
            #expect(workers.isEmpty)
            #expect(try await registry.list(includeStopped: true).count == 1)
        }
    }
}
