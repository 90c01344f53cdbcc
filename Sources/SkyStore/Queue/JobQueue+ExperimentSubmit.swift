import Foundation
import Logging
import PostgresNIO
public import SkyCore

/// What submitting an experiment plan did with one planned job.
public struct ExperimentJobOutcome: Sendable, Hashable {
    /// `new` (first submission of this content), `reused` (an earlier job that succeeded or is still going), or
    /// `rerun` (the earlier job failed or was cancelled, or something upstream is new).
    public enum Action: String, Sendable, Hashable, Codable {
        case new, reused, rerun
    }

    /// The job's index in the plan.
    public var index: Int
    /// The job id; nil in a dry run for a job that would be created.
    public var id: Int64?
    /// The job's state after the submission (for a dry run, the reused job's state, else nil).
    public var state: JobState?
    /// What happened.
    public var action: Action
    /// The idempotency key the job carries: the content key, `<key>#N` for the N-th run of the same content.
    public var idempotencyKey: String
}

extension JobQueue {
    /// States whose job an experiment resubmission keeps: done well, or still on its way.
    static let reusableStates: Set<JobState> = [.succeeded, .queued, .waiting, .running]

    /// Submits `plan` in one transaction, reusing every job whose content key already has a job that succeeded or
    /// is queued, waiting or running and whose dependencies were all reused too; the others become new jobs (key
    /// `<key>#N` when the content ran before), wired to the ids their dependencies have now. `dryRun` decides
    /// the same way and stores nothing.
    public func submitExperiment(_ plan: ExperimentPlan, dryRun: Bool = false) async throws -> [ExperimentJobOutcome] {
        guard !plan.jobs.isEmpty else { return [] }
        return try await transaction { connection in
            // Serialises concurrent submissions of one experiment (keys include its name): the second waits, then
            // sees the first's jobs.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("sky-experiment:" + plan.experiment), 0))",
                                       logger: logger)
            let runsByKey = try await runs(of: plan, connection)
            var outcomes: [ExperimentJobOutcome] = []
            var byKey: [String: ExperimentJobOutcome] = [:]
            for (index, job) in plan.jobs.enumerated() {
                // Two variants with the same content share one job.
                if var same = byKey[job.key] {
                    same.index = index
                    outcomes.append(same)
                    continue
                }
                defer { byKey[job.key] = outcomes.last }
                let earlier = runsByKey[job.key] ?? []
                let upstreamReused = job.dependsOnIndex.allSatisfy { outcomes[$0].action == .reused }
                if let latest = earlier.last, upstreamReused, Self.reusableStates.contains(latest.state) {
                    outcomes.append(ExperimentJobOutcome(index: index, id: latest.id, state: latest.state, action: .reused,
                                                         idempotencyKey: latest.key))
                    continue
                }
                let run = earlier.map(\.run).max().map { $0 + 1 } ?? 1
                let key = run == 1 ? job.key : "\(job.key)#\(run)"
                let action: ExperimentJobOutcome.Action = earlier.isEmpty ? .new : .rerun
                if dryRun {
                    outcomes.append(ExperimentJobOutcome(index: index, id: nil, state: nil, action: action, idempotencyKey: key))
                    continue
                }
                var submission = JobSubmission(
                    kind: job.kind, spec: JobInputs.resolvingBatchReferences(in: job.spec) { outcomes[$0].id },
                    queue: job.queue ?? "default", priority: job.priority ?? 0, maxAttempts: job.maxAttempts ?? 3,
                    idempotencyKey: key, experiment: plan.experiment, tags: job.tags, name: job.name)
                submission.dependsOn = job.dependsOnIndex.compactMap { outcomes[$0].id }
                let submitted = try await insertOne(submission, spec: Self.validatedSpec(submission, index: index), connection: connection)
                outcomes.append(ExperimentJobOutcome(index: index, id: submitted.id, state: submitted.state, action: action,
                                                     idempotencyKey: key))
            }
            return outcomes
        }
    }

    /// Every job run for each key of `plan` (the key itself, then `key#2`, `key#3`, …), oldest first, in one query.
    private func runs(of plan: ExperimentPlan, _ connection: PostgresConnection)
        async throws -> [String: [(id: Int64, state: JobState, key: String, run: Int)]] {
        let keys = Set(plan.jobs.map(\.key))
        let rows = try await connection.query(
            """
            SELECT id, state, idempotency_key FROM jobs
            WHERE idempotency_key = ANY(\(Array(keys))) OR (experiment = \(plan.experiment) AND idempotency_key LIKE '%#%')
            ORDER BY id
            """,
            logger: logger)
        var found: [String: [(id: Int64, state: JobState, key: String, run: Int)]] = [:]
        for try await (id, state, stored) in rows.decode((Int64, String, String).self) {
            let parts = stored.split(separator: "#", maxSplits: 1)
            let key = String(parts[0])
            guard keys.contains(key), let run = parts.count == 1 ? 1 : Int(parts[1]) else { continue }
            found[key, default: []].append((id, try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: id, column: "state"),
                                            stored, run))
        }
        return found
    }
}
