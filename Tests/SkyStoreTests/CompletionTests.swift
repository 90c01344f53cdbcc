import Foundation
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct CompletionTests {
    @Test func aSuccessStoresTheResultAndItsEvent() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep())
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            let applied = try await db.queue.complete([JobCompletion(token: run.token, outcome: .succeeded(result: .object(["loss": .number(0.5)])))], workerID: "test-worker")
            #expect(applied == [run.token])
            let job = try await db.queue.job(submitted.id)
            #expect(job.state == .succeeded && job.result == .object(["loss": .number(0.5)]) && job.finishedAt != nil && job.leaseExpiresAt == nil)
            #expect(try await db.queue.events(of: submitted.id).map(\.to) == [.queued, .running, .succeeded])
        }
    }

    @Test func aStaleWorkersLateCompletionIsRejectedByTheFencingToken() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep())
            let stale = try await db.queue.claim(for: .test("stale"), limit: 1, lease: .milliseconds(100))[0]
            try await Task.sleep(for: .milliseconds(200))
            let fresh = try await db.queue.claim(for: .test("fresh"), limit: 1, lease: .seconds(30))[0]
            #expect(fresh.attempt == 2)

            // The stale worker wakes up and tries to finish, fail, log and report progress: all ignored.
            let late = try await db.queue.complete([JobCompletion(token: stale.token, outcome: .succeeded(result: .string("stale")))], workerID: "stale")
            #expect(late.isEmpty)
            let lateFailure = try await db.queue.complete([JobCompletion(token: stale.token, outcome: .failed(error: "x", permanent: true, retryDelay: .zero))], workerID: "stale")
            #expect(lateFailure.isEmpty)
            try await db.queue.record(
                logs: [JobLogLine(token: stale.token, level: "info", message: "from the past")],
                metrics: [JobMetricPoint(token: stale.token, key: "loss", step: 1, value: 9)],
                progress: [JobProgress(token: stale.token, fraction: 0.9)])
            var job = try await db.queue.job(submitted.id)
            #expect(job.state == .running && job.attempt == 2 && job.progress == nil)
            #expect(try await db.queue.logs(of: submitted.id).isEmpty)
            #expect(try await db.queue.metrics(of: submitted.id, key: "loss").isEmpty)

            try await db.queue.complete([JobCompletion(token: fresh.token, outcome: .succeeded(result: .string("fresh")))], workerID: "fresh")
            job = try await db.queue.job(submitted.id)
            #expect(job.state == .succeeded && job.result == .string("fresh") && job.attemptsUsed == 2)
        }
    }

    @Test func aRetryableFailureWaitsForItsBackoff() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep(maxAttempts: 3))
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            // The backoff counts from the failure's transaction, which began between these two readings of the clock
            // (the database's clock is this host's); on a loaded host claim and failure can be seconds apart.
            let beforeFailure = Date()
            try await db.queue.complete([JobCompletion(token: run.token, outcome: .failed(error: "flaky", permanent: false, retryDelay: .seconds(2)))], workerID: "test-worker")
            let afterFailure = Date()
            var job = try await db.queue.job(submitted.id)
            #expect(job.state == .queued && job.error == "flaky")
            #expect(job.runAfter >= beforeFailure.addingTimeInterval(1.999) && job.runAfter <= afterFailure.addingTimeInterval(2.001))
            // A claim that returned before the backoff ended must have come back empty; on a loaded machine the
            // backoff may already be over by now, and the database-clock check below covers that case.
            let immediate = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
            if Date() < job.runAfter { #expect(immediate.isEmpty) }
            var retry: [ClaimedJob] = immediate
            let claimed = try await eventually(timeout: .seconds(120)) {
                if retry.isEmpty { retry = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30)) }
                return !retry.isEmpty
            }
            #expect(claimed && retry.first?.attempt == 2)
            job = try await db.queue.job(submitted.id)
            // By the database's clock, the retry did not start before its backoff ended.
            #expect(job.state == .running && job.startedAt! >= job.runAfter)
        }
    }

    @Test func aPermanentFailureFailsAtOnce() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep(maxAttempts: 5))
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            try await db.queue.complete([JobCompletion(token: run.token, outcome: .failed(error: "invalid input", permanent: true, retryDelay: .seconds(1)))], workerID: "w")
            let job = try await db.queue.job(submitted.id)
            #expect(job.state == .failed && job.error == "invalid input" && job.attemptsUsed == 1)
        }
    }

    @Test func afterMaxAttemptsTheJobFailsWithTheLastError() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep(maxAttempts: 2))
            for attempt in 1...2 {
                let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
                #expect(run.attempt == attempt)
                try await db.queue.complete([JobCompletion(token: run.token, outcome: .failed(error: "boom \(attempt)", permanent: false, retryDelay: .zero))], workerID: "w")
            }
            let job = try await db.queue.job(submitted.id)
            #expect(job.state == .failed && job.error == "boom 2" && job.attemptsUsed == 2)
            #expect(try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30)).isEmpty)
        }
    }

    @Test func aHandedBackJobIsQueuedWithoutUsingAnAttempt() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep(maxAttempts: 1))
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            try await db.queue.complete([JobCompletion(token: run.token, outcome: .handedBack(reason: "shutting down"))], workerID: "w")
            var job = try await db.queue.job(submitted.id)
            #expect(job.state == .queued && job.attemptsUsed == 0 && job.attempt == 1)
            let again = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
            #expect(again.first?.attempt == 2 && again.first?.attemptsUsed == 1)
            job = try await db.queue.job(submitted.id)
            #expect(job.state == .running)
        }
    }

    @Test func logsMetricsAndProgressFromTheCurrentRunAreStored() async throws {
        try await withTestDatabase { db in
            let submitted = try await db.queue.submit(.sleep())
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            try await db.queue.record(
                logs: [JobLogLine(token: run.token, level: "info", message: "step 1"), JobLogLine(token: run.token, level: "warning", message: "step 2")],
                metrics: (1...3).map { JobMetricPoint(token: run.token, key: "loss", step: $0, value: 1 / Double($0)) },
                progress: [JobProgress(token: run.token, fraction: 0.5, message: "half")])
            #expect(try await db.queue.logs(of: submitted.id).map(\.message) == ["step 1", "step 2"])
            #expect(try await db.queue.metrics(of: submitted.id, key: "loss").map(\.step) == [1, 2, 3])
            let job = try await db.queue.job(submitted.id)
            #expect(job.progress == 0.5 && job.progressMessage == "half")
        }
    }
}
