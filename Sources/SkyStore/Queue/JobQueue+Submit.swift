import Foundation
import Logging
import PostgresNIO
import SkyCore

extension JobQueue {
    /// Validates and stores one job; see `submitMany`.
    public func submit(_ submission: JobSubmission) async throws -> SubmittedJob {
        try await submitMany([submission])[0]
    }

    /// Validates every submission, then stores them all in one transaction, in order.
    ///
    /// Nothing is stored if any submission is invalid or names a job that does not exist. Jobs whose
    /// dependencies are unfinished start `waiting`; a job depending on a failed or cancelled job starts
    /// `cancelled` with the reason.
    public func submitMany(_ submissions: [JobSubmission]) async throws -> [SubmittedJob] {
        guard !submissions.isEmpty else { return [] }
        var specs: [String] = []
        for (index, submission) in submissions.enumerated() {
            do {
                specs.append(String(decoding: try submission.validated().encoded(), as: UTF8.self))
            } catch {
                let prefix = submissions.count > 1 ? "/jobs/\(index)" : ""
                let issues = error.issues.map { SpecIssue(prefix + $0.pointer, $0.message) }
                throw JobQueueError.invalid(SpecValidationError(kind: error.kind, issues: issues))
            }
        }
        if submissions.allSatisfy({ $0.allDependencies.isEmpty && $0.idempotencyKey == nil }) {
            return try await insertIndependent(submissions, specs: specs)
        }
        return try await transaction { connection in
            var results: [SubmittedJob] = []
            for (index, submission) in submissions.enumerated() {
                results.append(try await insertOne(submission, spec: specs[index], connection: connection))
            }
            return results
        }
    }

    /// Stores a batch whose jobs may depend on earlier jobs of the same batch, all or nothing, in order.
    ///
    /// `dependsOnIndex` and `{"fromJob": "$N"}` in a spec name the N-th job of the batch (N must be
    /// earlier); both become real ids as the batch is inserted. Problems are reported at `/jobs/<index>/…`.
    public func submitBatch(_ jobs: [BatchJob]) async throws -> [SubmittedJob] {
        guard !jobs.isEmpty else { return [] }
        // Validate everything first, with placeholder ids, so the client hears of every problem at once.
        var issues: [SpecIssue] = []
        var kind = jobs[0].submission.kind.rawValue
        for (index, job) in jobs.enumerated() {
            for (offset, dependency) in job.dependsOnIndex.enumerated() where !(0..<index).contains(dependency) {
                issues.append(SpecIssue("/jobs/\(index)/dependsOnIndex/\(offset)", "must index an earlier job of this batch (0..<\(index))"))
            }
            for reference in JobInputs.batchReferences(in: job.submission.spec) where !(0..<index).contains(reference.index) {
                issues.append(SpecIssue("/jobs/\(index)/spec\(reference.pointer)", "$\(reference.index) must name an earlier job of this batch"))
            }
            var placeholder = job.submission
            placeholder.spec = JobInputs.resolvingBatchReferences(in: placeholder.spec) { Int64($0 + 1) }
            do {
                _ = try placeholder.validated()
            } catch {
                kind = error.kind
                issues += error.issues.map { SpecIssue("/jobs/\(index)" + $0.pointer, $0.message) }
            }
        }
        if !issues.isEmpty { throw JobQueueError.invalid(SpecValidationError(kind: kind, issues: issues)) }
        if jobs.allSatisfy({ $0.dependsOnIndex.isEmpty && JobInputs.batchReferences(in: $0.submission.spec).isEmpty }) {
            return try await submitMany(jobs.map(\.submission))
        }
        return try await transaction { connection in
            var results: [SubmittedJob] = []
            for (index, job) in jobs.enumerated() {
                var submission = job.submission
                submission.spec = JobInputs.resolvingBatchReferences(in: submission.spec) { results[$0].id }
                submission.dependsOn += job.dependsOnIndex.map { results[$0].id }
                let spec = try Self.validatedSpec(submission, index: index)
                do {
                    results.append(try await insertOne(submission, spec: spec, connection: connection))
                } catch JobQueueError.unknownDependency(let offset, let id) {
                    throw JobQueueError.invalid(SpecValidationError(
                        kind: submission.kind.rawValue, issues: [SpecIssue("/jobs/\(index)/dependsOn/\(offset)", "job \(id) does not exist")]))
                }
            }
            return results
        }
    }

    /// The normalised spec as stored, or the submission's problems located under `/jobs/<index>`.
    static func validatedSpec(_ submission: JobSubmission, index: Int) throws -> String {
        do {
            return String(decoding: try submission.validated().encoded(), as: UTF8.self)
        } catch {
            throw JobQueueError.invalid(SpecValidationError(
                kind: error.kind, issues: error.issues.map { SpecIssue("/jobs/\(index)" + $0.pointer, $0.message) }))
        }
    }

    /// The fast path: jobs with no dependencies and no keys go in with one statement.
    private func insertIndependent(_ submissions: [JobSubmission], specs: [String]) async throws -> [SubmittedJob] {
        let columns = SubmissionColumns(submissions, specs: specs)
        let rows = try await client.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(columns.kinds)::text[], \(columns.queues)::text[], \(columns.priorities)::int[],
                                     \(columns.specs)::text[], \(columns.requirements)::text[], \(columns.backends)::text[],
                                     \(columns.memory)::int[], \(columns.labels)::text[], \(columns.maxAttempts)::int[],
                                     \(columns.experiments)::text[], \(columns.tags)::text[], \(columns.runAfter)::float8[],
                                     \(columns.names)::text[])
                    WITH ORDINALITY AS t(kind, queue, priority, spec, requirements, backend, memory, labels,
                                         max_attempts, experiment, tags, run_after, name, ord)
            ), inserted AS (
                INSERT INTO jobs (kind, queue, state, priority, spec, requirements, req_backend, req_memory_mb, req_labels,
                                  max_attempts, experiment, tags, run_after, name)
                SELECT kind, queue, 'queued', priority, spec::jsonb, requirements::jsonb, NULLIF(backend, ''), memory,
                       ARRAY(SELECT jsonb_array_elements_text(labels::jsonb)), max_attempts, NULLIF(experiment, ''),
                       ARRAY(SELECT jsonb_array_elements_text(tags::jsonb)),
                       CASE WHEN run_after < 0 THEN now() ELSE to_timestamp(run_after) END, NULLIF(name, '')
                FROM input ORDER BY ord
                RETURNING id, queue
            ), notified AS (
                SELECT sky_notify_queues(array_agg(queue)) FROM inserted
            )
            SELECT id FROM inserted, notified ORDER BY id
            """,
            logger: logger
        )
        var results: [SubmittedJob] = []
        for try await id in rows.decode(Int64.self) {
            results.append(SubmittedJob(id: id, state: .queued, created: true))
        }
        return results
    }

    /// Inserts one job inside the caller's transaction, honouring its key and dependencies.
    func insertOne(_ submission: JobSubmission, spec: String, connection: PostgresConnection) async throws -> SubmittedJob {
        if let key = submission.idempotencyKey, let existing = try await jobByKey(key, connection) {
            return existing
        }
        let dependencies = submission.allDependencies
        // FOR SHARE blocks a concurrent completion of a dependency until this transaction commits, so the
        // completion's next statement sees our dependency rows and releases or cancels this job.
        var states: [Int64: JobState] = [:]
        if !dependencies.isEmpty {
            let rows = try await connection.query(
                "SELECT id, state FROM jobs WHERE id = ANY(\(dependencies)) ORDER BY id FOR SHARE", logger: logger)
            for try await (id, state) in rows.decode((Int64, String).self) {
                states[id] = try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: id, column: "state")
            }
        }
        let explicitCount = submission.dependsOn.count
        for (index, id) in dependencies.enumerated() where states[id] == nil {
            if index < explicitCount { throw JobQueueError.unknownDependency(index: index, id: id) }
            throw JobQueueError.invalid(SpecValidationError(
                kind: submission.kind.rawValue, issues: [SpecIssue("/spec", "names the output of job \(id), which does not exist")]))
        }
        let doomedBy = dependencies.first { states[$0] == .failed || states[$0] == .cancelled }
        let pending = dependencies.filter { states[$0] != .succeeded }.count
        let state: JobState = doomedBy != nil ? .cancelled : (pending > 0 ? .waiting : .queued)
        let error = doomedBy.map { "cancelled: dependency \($0) \(states[$0] == .failed ? "failed" : "was cancelled")" }
        let effective = submission.effectiveRequirements
        let requirements = String(decoding: (try? JSONEncoder().encode(effective)) ?? Data("{}".utf8), as: UTF8.self)
        let rows = try await connection.query(
            """
            INSERT INTO jobs (kind, queue, state, priority, spec, requirements, req_backend, req_memory_mb, req_labels,
                              max_attempts, pending_deps, idempotency_key, experiment, tags, run_after, error, finished_at, name)
            VALUES (\(submission.kind.rawValue), \(submission.queue), \(state.rawValue), \(submission.priority)::int,
                    \(spec)::jsonb, \(requirements)::jsonb, \(effective.backend),
                    \(effective.minMemoryMB ?? 0)::int, \(effective.labels),
                    \(submission.maxAttempts)::int, \(state == .waiting ? pending : 0)::int, \(submission.idempotencyKey),
                    \(submission.experiment), \(submission.tags), COALESCE(\(submission.runAfter), now()), \(error),
                    CASE WHEN \(state.rawValue) = 'cancelled' THEN now() END, \(submission.name))
            ON CONFLICT (idempotency_key) DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
            // A concurrent submit with the same key won; its job is the answer.
            guard let key = submission.idempotencyKey, let existing = try await jobByKey(key, connection) else {
                throw JobQueueError.invalid(SpecValidationError(kind: submission.kind.rawValue, issues: [SpecIssue("/idempotencyKey", "conflict")]))
            }
            return existing
        }
        if !dependencies.isEmpty {
            try await connection.query(
                "INSERT INTO job_dependencies (job_id, depends_on) SELECT \(id), unnest(\(dependencies)::bigint[])", logger: logger)
        }
        if state == .queued {
            try await connection.query("SELECT sky_notify_queues(\([submission.queue]))", logger: logger)
        }
        return SubmittedJob(id: id, state: state, created: true)
    }

    private func jobByKey(_ key: String, _ connection: PostgresConnection) async throws -> SubmittedJob? {
        let rows = try await connection.query("SELECT id, state FROM jobs WHERE idempotency_key = \(key)", logger: logger)
        for try await (id, state) in rows.decode((Int64, String).self) {
            return SubmittedJob(id: id, state: try UnknownStoredValue.decode(JobState.self, state, table: "jobs", row: id, column: "state"),
                                created: false)
        }
        return nil
    }
}

/// One job of a batch: a submission plus dependencies on earlier jobs of the same batch.
public struct BatchJob: Sendable, Hashable {
    public var submission: JobSubmission
    /// Indexes of earlier jobs of the batch that must succeed first.
    public var dependsOnIndex: [Int]

    /// Creates a batch entry.
    public init(_ submission: JobSubmission, dependsOnIndex: [Int] = []) {
        self.submission = submission
        self.dependsOnIndex = dependsOnIndex
    }
}

/// Submissions as parallel arrays, for `unnest` in one bulk insert.
private struct SubmissionColumns {
    var kinds: [String] = [], queues: [String] = [], priorities: [Int] = [], specs: [String] = []
    var requirements: [String] = [], backends: [String] = [], memory: [Int] = [], labels: [String] = []
    var maxAttempts: [Int] = [], experiments: [String] = [], tags: [String] = [], runAfter: [Double] = []
    var names: [String] = []

    init(_ submissions: [JobSubmission], specs: [String]) {
        let encoder = JSONEncoder()
        func json(_ value: some Encodable) -> String {
            String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
        }
        for (submission, spec) in zip(submissions, specs) {
            kinds.append(submission.kind.rawValue)
            queues.append(submission.queue)
            priorities.append(submission.priority)
            self.specs.append(spec)
            let effective = submission.effectiveRequirements
            requirements.append(json(effective))
            backends.append(effective.backend ?? "")
            memory.append(effective.minMemoryMB ?? 0)
            labels.append(json(effective.labels))
            maxAttempts.append(submission.maxAttempts)
            experiments.append(submission.experiment ?? "")
            tags.append(json(submission.tags))
            runAfter.append(submission.runAfter?.timeIntervalSince1970 ?? -1)
            names.append(submission.name ?? "")
        }
    }
}
