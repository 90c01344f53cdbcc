import Foundation
import PostgresNIO
import SkyCore
@testable import SkyStore
import SkyTestSupport
import Testing

/// Rows written by a newer Sky (a job kind or state this binary does not know) are errors naming the row and column
/// when read, never a default: reading an unknown kind as `sleep` would have run it as a sleep job that "succeeded".
@Suite struct UnknownStoredValueTests {
    @Test func aJobOfAKindThisBinaryDoesNotKnowIsNeverReadAsAnotherAndNeverClaimed() async throws {
        try await withTestDatabase { db in
            let rows = try await db.client.query("""
                INSERT INTO jobs (kind, queue, state, spec, requirements)
                VALUES ('distill', 'default', 'queued', '{}', '{"labels": []}') RETURNING id
                """)
            let id = try #require(try await rows.decode(Int64.self).first { _ in true })
            do {
                _ = try await db.queue.job(id)
                Issue.record("an unknown kind was read as a known one")
            } catch let error as UnknownStoredValue {
                #expect(error == UnknownStoredValue(table: "jobs", row: id, column: "kind", value: "distill"))
                #expect(error.description.hasPrefix("jobs row \(id) has kind 'distill', which this Sky"))
            }
            // A worker offering every kind it knows does not claim it; it stays queued for a worker that knows it.
            let claimed = try await db.queue.claim(for: .test("old", kinds: JobKind.allCases), limit: 10, lease: .seconds(30))
            #expect(claimed.isEmpty)
            let state = try await db.client.query("SELECT state FROM jobs WHERE id = \(id)").decode(String.self).first { _ in true }
            #expect(state == "queued")
        }
    }

    /// A state a newer Sky added (its migration allows it and its moves) is an error naming a
    /// row wherever this binary reads states: in counts, in experiment summaries, and as a dependency of a submission.
    @Test func aJobInAStateThisBinaryDoesNotKnowIsAnErrorWhereverStatesAreRead() async throws {
        try await withTestDatabase { db in
            // What a newer Sky's migration would do: allow the state, and the move into it.
            try await db.client.query("""
                ALTER TABLE jobs DROP CONSTRAINT jobs_state_check, ADD CONSTRAINT jobs_state_check
                    CHECK (state IN ('waiting', 'queued', 'running', 'succeeded', 'failed', 'cancelled', 'parked'))
                """)
            try await db.client.query("INSERT INTO job_state_transitions VALUES (NULL, 'parked', 'a newer Sky parks jobs')")
            let rows = try await db.client.query("""
                INSERT INTO jobs (kind, queue, state, spec, requirements, experiment)
                VALUES ('sleep', 'default', 'parked', '{}', '{"labels": []}', 'newer') RETURNING id
                """)
            let id = try #require(try await rows.decode(Int64.self).first { _ in true })
            let expected = UnknownStoredValue(table: "jobs", row: id, column: "state", value: "parked")
            await #expect(throws: expected) { _ = try await db.queue.countsByState() }
            await #expect(throws: expected) { _ = try await db.queue.countsByState(experiment: "newer") }
            await #expect(throws: expected) { _ = try await db.queue.submit(.sleep(dependsOn: [id])) }
        }
    }
}
