import SkyCore
import SkyStore
import SkyTestSupport
import Testing

@Suite struct ClaimPlanTests {
    @Test func claimingScansOnlyThePartialIndexOfQueuedJobsBesideALargeHistory() async throws {
        try await withTestDatabase { db in
            try await db.queue.fillWithFinishedJobs(count: 50_000, experiment: "history")
            _ = try await db.queue.submitMany(Array(repeating: .sleep(), count: 50))
            let plan: String
            do {
                plan = try await db.queue.explainClaim(for: .test(), limit: 10)
            } catch {
                Issue.record("explain failed: \(String(reflecting: error))")
                return
            }
            #expect(plan.contains("jobs_claim_idx"), "claim plan:\n\(plan)")
            #expect(!plan.contains("Seq Scan"), "claim plan:\n\(plan)")
            let claimed = try await db.queue.claim(for: .test(), limit: 10, lease: .seconds(30))
            #expect(claimed.count == 10)
        }
    }

    @Test func aBacklogWithoutStatisticsIsStillClaimedInIndexOrderWithoutSorting() async throws {
        try await withTestDatabase { db in
            // Submitted at once, never analysed: the case where the planner used to sort every queued row.
            _ = try await db.queue.submitMany(Array(repeating: .sleep(), count: 5000))
            let plan = try await db.queue.explainClaim(for: .test(), limit: 200, analyze: true)
            #expect(plan.contains("Index Scan using jobs_claim_idx"), "claim plan:\n\(plan)")
            #expect(!plan.contains("Sort"), "claim plan:\n\(plan)")
            #expect(!plan.contains("Bitmap"), "claim plan:\n\(plan)")
        }
    }
}
