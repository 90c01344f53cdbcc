import Foundation
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// Every change of a job's state goes through migration 13's trigger: a move the state machine does not list is refused,
/// one that names no reason is refused, and a legal one gets its event whoever wrote the statement. These statements are
/// raw SQL on purpose: they stand for a future code path that forgets what the queue's own statements do.
@Suite struct JobTransitionTests {
    @Test func aMoveTheStateMachineDoesNotListIsRefusedAndChangesNothing() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            let error = await #expect(throws: PSQLError.self) {
                try await db.client.query("UPDATE jobs SET state = 'succeeded', finished_at = now(), transition_reason = 'shortcut' WHERE id = \(job.id)")
            }
            #expect(error?.serverInfo?[.sqlState] == "23514")
            #expect(error?.serverInfo?[.message] == "job \(job.id): no transition from queued to succeeded in job_state_transitions")
            #expect(try await db.queue.job(job.id).state == .queued)
            #expect(try await db.queue.events(of: job.id).map(\.to) == [.queued])
        }
    }

    @Test func aMoveThatNamesNoReasonIsRefused() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            let error = await #expect(throws: PSQLError.self) {
                try await db.client.query("UPDATE jobs SET state = 'cancelled', finished_at = now() WHERE id = \(job.id)")
            }
            #expect(error?.serverInfo?[.sqlState] == "23502")
            #expect(error?.serverInfo?[.message] == "job \(job.id): the move from queued to cancelled names no transition_reason")
            #expect(try await db.queue.job(job.id).state == .queued)
        }
    }

    /// A move may give any reason, the submission's own included (the API fuzzer cancelled a job "submitted": a 500
    /// while an inserted row kept its reason and an equal one read as forgotten).
    @Test func aMoveMayGiveTheSameReasonAsTheSubmission() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            #expect(try await db.queue.cancel(job.id, reason: "submitted") == .cancelled)
            #expect(try await db.queue.events(of: job.id).map(\.reason) == ["submitted", "submitted"])
        }
    }

    @Test func aLegalMoveWrittenByHandGetsItsEventAndLeavesNoReasonBehind() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(.sleep())
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            try await db.client.query("""
                UPDATE jobs SET state = 'failed', lease_expires_at = NULL, finished_at = now(), error = 'operator stopped it',
                                transition_reason = 'operator stopped it'
                WHERE id = \(job.id)
                """)
            let events = try await db.queue.events(of: job.id)
            #expect(events.map(\.to) == [.queued, .running, .failed])
            #expect(events.map(\.from) == [nil, .queued, .running])
            #expect(events.last?.attempt == run.attempt && events.last?.reason == "operator stopped it")
            #expect(events.last?.workerID == "test-worker" && events[1].workerID == "test-worker" && events[0].workerID == nil)
            var stored: [String?] = []
            for try await reason in try await db.client.query("SELECT transition_reason FROM jobs WHERE id = \(job.id)").decode(String?.self) {
                stored.append(reason)
            }
            #expect(stored == [nil])
            // Updates that move nothing (heartbeats, progress) write no event and need no reason.
            try await db.client.query("UPDATE jobs SET priority = 5 WHERE id = \(job.id)")
            #expect(try await db.queue.events(of: job.id).count == 3)
        }
    }

    /// The state machine names only states this binary knows, and every state is reachable from a submission.
    @Test func theStateMachineCoversExactlyTheKnownStates() async throws {
        try await withTestDatabase { db in
            var edges: [(String?, String)] = []
            for try await edge in try await db.client.query("SELECT from_state, to_state FROM job_state_transitions").decode((String?, String).self) {
                edges.append(edge)
            }
            let named = Set(edges.flatMap { [$0.0, $0.1].compactMap { $0 } })
            #expect(named == Set(JobState.allCases.map(\.rawValue)))
            var reached: Set<String> = [], frontier = edges.filter { $0.0 == nil }.map(\.1)
            while let state = frontier.popLast() {
                if reached.insert(state).inserted { frontier += edges.filter { $0.0 == state }.map(\.1) }
            }
            #expect(reached == named)
        }
    }
}
