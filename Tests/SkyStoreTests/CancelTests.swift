import Foundation
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct CancelTests {
    @Test func aQueuedJobIsCancelledAtOnceWithItsDependents() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep())
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            #expect(try await db.queue.cancel(a.id) == .cancelled)
            #expect(try await db.queue.job(a.id).state == .cancelled)
            #expect(try await db.queue.job(b.id).state == .cancelled)
            #expect(try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30)).isEmpty)
        }
    }

    @Test func aRunningJobGetsARequestAndANotification() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep())
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            let connection = try await PostgresConnection.connect(
                configuration: try await TestPostgres.shared.cluster().databaseConfiguration(database: db.name).connection,
                id: 1, logger: .init(label: "test"))
            let payload = try await connection.listen(on: JobQueue.cancelChannel) { notifications in
                #expect(try await db.queue.cancel(a.id) == .running)
                for try await note in notifications { return note.payload }
                return ""
            }
            try await connection.close()
            #expect(payload == String(a.id))
            #expect(try await db.queue.job(a.id).cancelRequested)
            let (_, cancelRequested) = try await db.queue.heartbeat(workerID: "test-worker", tokens: [run.token], lease: .seconds(30), slotsInUse: 1)
            #expect(cancelRequested == [run.token])
            try await db.queue.complete([JobCompletion(token: run.token, outcome: .cancelled(reason: "cancelled by user"))], workerID: "test-worker")
            #expect(try await db.queue.job(a.id).state == .cancelled)
        }
    }

    @Test func cancellingAFinishedJobIsRefused() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep())
            try await db.queue.cancel(a.id)
            await #expect(throws: JobQueueError.illegalState(id: a.id, state: .cancelled, operation: "cancel")) {
                try await db.queue.cancel(a.id)
            }
            await #expect(throws: JobQueueError.notFound(12345)) { try await db.queue.cancel(12345) }
        }
    }
}

@Suite struct MaintenanceTests {
    @Test func anExpiredLeaseOnTheLastAttemptFailsTheJob() async throws {
        try await withTestDatabase { db in
            let a = try await db.queue.submit(.sleep(maxAttempts: 1))
            let b = try await db.queue.submit(.sleep(dependsOn: [a.id]))
            _ = try await db.queue.claim(for: .test("dies"), limit: 1, lease: .milliseconds(100))
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30)).isEmpty)
            #expect(try await db.queue.rescueExpired() == 1)
            let job = try await db.queue.job(a.id)
            #expect(job.state == .failed && job.error?.contains("worker dies stopped responding") == true)
            #expect(try await db.queue.job(b.id).state == .cancelled)
        }
    }

    @Test func pruningDeletesOnlyOldFinishedJobsNotNeededByWaitingOnes() async throws {
        try await withTestDatabase { db in
            let done = try await db.queue.submit(.sleep())
            try await runNext(db.queue, expecting: done.id)
            let needed = try await db.queue.submit(.sleep())
            try await runNext(db.queue, expecting: needed.id)
            _ = try await db.queue.submit(.sleep(dependsOn: [needed.id]))  // queued, still needs its input
            let pending = try await db.queue.submit(.sleep(priority: -1))
            try await Task.sleep(for: .milliseconds(50))
            #expect(try await db.queue.prune(olderThan: .milliseconds(10), batchSize: 1) == 1)
            await #expect(throws: JobQueueError.notFound(done.id)) { try await db.queue.job(done.id) }
            #expect(try await db.queue.job(needed.id).state == .succeeded)
            #expect(try await db.queue.job(pending.id).state == .queued)
        }
    }
}
