import Foundation
import Logging
import PostgresNIO
public import SkyCore

/// One grader's verdict on one stored sample.
public struct SampleVerdict: Sendable, Hashable, Codable {
    /// The sample's problem.
    public var problemID: String
    /// The sample's index within its problem.
    public var sampleIndex: Int
    /// Whether the grader judged it right.
    public var correct: Bool
    /// What the grader read as the answer.
    public var extracted: String?
    /// Why.
    public var reason: String

    /// Creates a verdict.
    public init(problemID: String, sampleIndex: Int, correct: Bool, extracted: String?, reason: String) {
        self.problemID = problemID
        self.sampleIndex = sampleIndex
        self.correct = correct
        self.extracted = extracted
        self.reason = reason
    }
}

/// A complete run graded again: every sample's new verdict and the score they give.
public struct RescoredRun: Sendable {
    /// The run.
    public var runID: Int64
    /// The grader the run had when its samples were read; the write is refused if another rescore got there first.
    public var previousGrader: String
    /// The new grader's version.
    public var grader: String
    /// One verdict per stored sample.
    public var verdicts: [SampleVerdict]
    /// The new accuracy, standard error and summary.
    public var accuracy: Double
    public var standardError: Double
    public var summary: JSONValue
    /// The run's configuration with the new grader, and its hash.
    public var config: JSONValue
    public var configHash: String

    /// Creates a rescore result.
    public init(runID: Int64, previousGrader: String, grader: String, verdicts: [SampleVerdict], accuracy: Double,
                standardError: Double, summary: JSONValue, config: JSONValue, configHash: String) {
        self.runID = runID
        self.previousGrader = previousGrader
        self.grader = grader
        self.verdicts = verdicts
        self.accuracy = accuracy
        self.standardError = standardError
        self.summary = summary
        self.config = config
        self.configHash = configHash
    }
}

/// Another harness's outputs, graded by Sky, ready to store as a complete run of the importing job.
public struct ImportedRun: Sendable {
    /// The run's description; `model` is the label the user gave, `modelSHA256` the source file's SHA-256.
    public var run: NewEvalRun
    /// The experiment the run belongs to; nil takes the importing job's.
    public var experiment: String?
    /// Format, file name, SHA-256, harness accuracy.
    public var source: JSONValue
    /// Every sample with Sky's verdict and its gold answer.
    public var samples: [EvalSampleRow]
    /// The harness's own verdicts, stored under `harnessGrader`.
    public var harnessVerdicts: [SampleVerdict]
    /// "harness:<format>".
    public var harnessGrader: String
    /// Sky's score and summary.
    public var accuracy: Double
    public var standardError: Double
    public var summary: JSONValue

    /// Creates an import.
    public init(run: NewEvalRun, experiment: String?, source: JSONValue, samples: [EvalSampleRow], harnessVerdicts: [SampleVerdict],
                harnessGrader: String, accuracy: Double, standardError: Double, summary: JSONValue) {
        self.run = run
        self.experiment = experiment
        self.source = source
        self.samples = samples
        self.harnessVerdicts = harnessVerdicts
        self.harnessGrader = harnessGrader
        self.accuracy = accuracy
        self.standardError = standardError
        self.summary = summary
    }
}

/// A sample two graders judged differently (a row of `eval_verdict_changes`).
public struct VerdictChange: Sendable, Hashable {
    public var problemID: String
    public var sampleIndex: Int
    public var gold: String?
    public var before: SampleVerdict
    public var after: SampleVerdict
}

/// A run's accuracy under one grader (a row of `eval_run_graders`).
public struct RunGraderScore: Sendable, Hashable {
    public var grader: String
    /// The grader whose verdicts the run's samples hold now.
    public var current: Bool
    public var samples: Int
    public var accuracy: Double
}

extension EvalStore {
    /// Rows per statement when samples or verdicts go through `jsonb_to_recordset`, so one import of long outputs
    /// does not become a single parameter of hundreds of megabytes.
    static let rowsPerStatement = 500

    /// Replaces a complete run's verdicts with `rescored`'s in one transaction while `token` holds the rescoring job.
    /// Both the verdicts it replaces and the new ones are kept in `eval_verdicts`, each under its grader.
    public func rescore(_ rescored: RescoredRun, token: JobToken) async throws {
        try await transaction { connection in
            try await Self.requireHeld(token, connection, logger)
            let current = try await connection.query(
                "SELECT grader, state FROM eval_runs WHERE id = \(rescored.runID) FOR UPDATE", logger: logger)
            var found: (String, String)?
            for try await row in current.decode((String, String).self) { found = row }
            guard let (grader, state) = found else { throw EvalStoreError.runNotFound(rescored.runID) }
            guard state == "complete" else { throw EvalStoreError.cannotRescore("eval run \(rescored.runID) is still running; rescore it once its job has finished") }
            guard grader == rescored.previousGrader else {
                throw EvalStoreError.cannotRescore("eval run \(rescored.runID) was rescored meanwhile (now \(grader)); nothing written")
            }
            let stored = try await connection.query(
                "SELECT count(*)::int FROM eval_samples WHERE run_id = \(rescored.runID)", logger: logger)
            for try await count in stored.decode(Int.self) where count != rescored.verdicts.count {
                throw EvalStoreError.cannotRescore("eval run \(rescored.runID) has \(count) samples but \(rescored.verdicts.count) verdicts were given; nothing written")
            }
            try await connection.query(
                """
                INSERT INTO eval_verdicts (run_id, problem_id, sample_index, grader, correct, extracted, reason)
                SELECT run_id, problem_id, sample_index, \(grader), correct, extracted, reason FROM eval_samples
                WHERE run_id = \(rescored.runID)
                ON CONFLICT DO NOTHING
                """, logger: logger)
            for chunk in Self.chunks(rescored.verdicts) {
                let rows = Self.verdictsJSON(chunk)
                try await connection.query(
                    """
                    INSERT INTO eval_verdicts (run_id, problem_id, sample_index, grader, correct, extracted, reason)
                    SELECT \(rescored.runID), v.problem_id, v.sample_index, \(rescored.grader), v.correct, v.extracted, v.reason
                    FROM jsonb_to_recordset(\(rows)::jsonb) AS v(problem_id text, sample_index int, correct boolean, extracted text, reason text)
                    ON CONFLICT (run_id, problem_id, sample_index, grader) DO UPDATE
                    SET correct = EXCLUDED.correct, extracted = EXCLUDED.extracted, reason = EXCLUDED.reason, created_at = now()
                    """, logger: logger)
                try await connection.query(
                    """
                    UPDATE eval_samples s SET correct = v.correct, extracted = v.extracted, reason = v.reason
                    FROM jsonb_to_recordset(\(rows)::jsonb) AS v(problem_id text, sample_index int, correct boolean, extracted text, reason text)
                    WHERE s.run_id = \(rescored.runID) AND s.problem_id = v.problem_id AND s.sample_index = v.sample_index
                    """, logger: logger)
            }
            let summary = String(decoding: rescored.summary.encoded(), as: UTF8.self)
            let config = String(decoding: rescored.config.encoded(), as: UTF8.self)
            try await connection.query(
                """
                UPDATE eval_runs SET grader = \(rescored.grader), accuracy = \(rescored.accuracy),
                       standard_error = \(rescored.standardError), summary = \(summary)::jsonb, config = \(config)::jsonb,
                       config_hash = \(rescored.configHash)
                WHERE id = \(rescored.runID)
                """, logger: logger)
        }
    }

    /// Stores an imported run, its samples, Sky's verdicts and the harness's, all or nothing, as the run of
    /// `token`'s job on `imported.run.benchmark` (a retried import replaces what an earlier attempt stored).
    @discardableResult
    public func importRun(_ imported: ImportedRun, token: JobToken) async throws -> Int64 {
        let run = imported.run
        let config = String(decoding: run.config.encoded(), as: UTF8.self)
        let source = String(decoding: imported.source.encoded(), as: UTF8.self)
        let summary = String(decoding: imported.summary.encoded(), as: UTF8.self)
        return try await transaction { connection in
            try await Self.requireHeld(token, connection, logger)
            try await connection.query(
                "DELETE FROM eval_runs WHERE job_id = \(token.id) AND benchmark = \(run.benchmark)", logger: logger)
            let inserted = try await connection.query(
                """
                INSERT INTO eval_runs (job_id, benchmark, benchmark_sha256, experiment, variant, model, model_sha256,
                                       adapter, adapter_sha256, config, config_hash, problems, samples_per_problem, grader,
                                       source, state, accuracy, standard_error, summary, finished_at)
                SELECT j.id, \(run.benchmark), \(run.benchmarkSHA256), coalesce(\(imported.experiment), j.experiment),
                       \(run.variant), \(run.model), \(run.modelSHA256), \(run.adapter), \(run.adapterSHA256),
                       \(config)::jsonb, \(run.configHash), \(run.problems), \(run.samplesPerProblem), \(run.grader),
                       \(source)::jsonb, 'complete', \(imported.accuracy), \(imported.standardError), \(summary)::jsonb, now()
                FROM jobs j WHERE j.id = \(token.id)
                RETURNING id
                """, logger: logger)
            var runID: Int64?
            for try await id in inserted.decode(Int64.self) { runID = id }
            guard let runID else { throw EvalStoreError.notHeld(token) }
            for chunk in Self.chunks(imported.samples) {
                let rows = String(decoding: JSONValue.array(chunk.map(Self.json)).encoded(), as: UTF8.self)
                try await connection.query(
                    """
                    INSERT INTO eval_samples (run_id, problem_id, sample_index, attempt, level, prompt_tokens, output, extracted,
                                              correct, reason, output_tokens, finish_reason, reflection_keywords, gold)
                    SELECT \(runID), s.problem_id, s.sample_index, \(token.attempt), s.level, s.prompt_tokens, s.output, s.extracted,
                           s.correct, s.reason, s.output_tokens, s.finish_reason, s.reflection_keywords, s.gold
                    FROM jsonb_to_recordset(\(rows)::jsonb) AS s(problem_id text, sample_index int, level text, prompt_tokens int,
                             output text, extracted text, correct boolean, reason text, output_tokens int, finish_reason text,
                             reflection_keywords int, gold text)
                    """, logger: logger)
            }
            // Sky's verdicts go into eval_verdicts as well, so eval_verdict_changes pairs them with the harness's.
            try await connection.query(
                """
                INSERT INTO eval_verdicts (run_id, problem_id, sample_index, grader, correct, extracted, reason)
                SELECT run_id, problem_id, sample_index, \(run.grader), correct, extracted, reason FROM eval_samples
                WHERE run_id = \(runID)
                """, logger: logger)
            for chunk in Self.chunks(imported.harnessVerdicts) {
                let rows = Self.verdictsJSON(chunk)
                try await connection.query(
                    """
                    INSERT INTO eval_verdicts (run_id, problem_id, sample_index, grader, correct, extracted, reason)
                    SELECT \(runID), v.problem_id, v.sample_index, \(imported.harnessGrader), v.correct, v.extracted, v.reason
                    FROM jsonb_to_recordset(\(rows)::jsonb) AS v(problem_id text, sample_index int, correct boolean, extracted text, reason text)
                    """, logger: logger)
            }
            return runID
        }
    }

    /// The samples of `run` whose verdict under grader `from` differs from grader `to`'s, by problem and index.
    public func verdictChanges(run: Int64, from: String, to: String) async throws -> [VerdictChange] {
        let rows = try await client.query(
            """
            SELECT problem_id, sample_index, gold, correct_a, extracted_a, reason_a, correct_b, extracted_b, reason_b
            FROM eval_verdict_changes WHERE run_id = \(run) AND grader_a = \(from) AND grader_b = \(to)
            ORDER BY problem_id, sample_index
            """, logger: logger)
        var changes: [VerdictChange] = []
        for try await (problem, index, gold, correctA, extractedA, reasonA, correctB, extractedB, reasonB)
            in rows.decode((String, Int, String?, Bool, String?, String, Bool, String?, String).self) {
            changes.append(VerdictChange(
                problemID: problem, sampleIndex: index, gold: gold,
                before: SampleVerdict(problemID: problem, sampleIndex: index, correct: correctA, extracted: extractedA, reason: reasonA),
                after: SampleVerdict(problemID: problem, sampleIndex: index, correct: correctB, extracted: extractedB, reason: reasonB)))
        }
        return changes
    }

    /// Run `run`'s accuracy under every grader that judged it, the current one first, then by grader.
    public func graderScores(run: Int64) async throws -> [RunGraderScore] {
        let rows = try await client.query(
            """
            SELECT grader, current, samples::int, accuracy FROM eval_run_graders WHERE run_id = \(run)
            ORDER BY current DESC, grader
            """, logger: logger)
        var scores: [RunGraderScore] = []
        for try await (grader, current, samples, accuracy) in rows.decode((String, Bool, Int, Double).self) {
            scores.append(RunGraderScore(grader: grader, current: current, samples: samples, accuracy: accuracy))
        }
        return scores
    }

    /// Runs `body` in a transaction, rethrowing the body's own error rather than PostgresNIO's wrapper.
    func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// Locks the job's row for the transaction, or throws `notHeld` when `token`'s attempt no longer runs it.
    static func requireHeld(_ token: JobToken, _ connection: PostgresConnection, _ logger: Logger) async throws {
        let held = try await connection.query(
            "SELECT 1 FROM jobs WHERE id = \(token.id) AND attempt = \(token.attempt) AND state = 'running' FOR SHARE",
            logger: logger)
        var isHeld = false
        for try await _ in held { isHeld = true }
        guard isHeld else { throw EvalStoreError.notHeld(token) }
    }

    static func chunks<T>(_ rows: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: rows.count, by: rowsPerStatement).map { rows[$0..<min($0 + rowsPerStatement, rows.count)] }
    }

    static func verdictsJSON(_ verdicts: ArraySlice<SampleVerdict>) -> String {
        func text(_ value: String) -> JSONValue { .string(value.replacingOccurrences(of: "\0", with: "\u{FFFD}")) }
        return String(decoding: JSONValue.array(verdicts.map { verdict in
            .object([
                "problem_id": text(verdict.problemID), "sample_index": .number(Double(verdict.sampleIndex)),
                "correct": .bool(verdict.correct), "extracted": verdict.extracted.map(text) ?? .null, "reason": text(verdict.reason),
            ])
        }).encoded(), as: UTF8.self)
    }
}
