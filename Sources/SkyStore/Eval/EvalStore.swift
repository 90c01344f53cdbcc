import Foundation
public import Logging
public import PostgresNIO
public import SkyCore

/// Eval results: the runs and samples eval jobs write (fenced by their attempt) and the leaderboard views' rows.
public struct EvalStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger = Logger(label: "sky.eval")) {
        self.client = client
        self.logger = logger
    }

    /// Starts (or, for a retried job, reopens) the job's run on `run.benchmark`. A reopened run keeps the problems
    /// an earlier attempt finished when its configuration is the same, and starts over when it differs.
    public func open(_ run: NewEvalRun, token: JobToken) async throws -> OpenedEvalRun {
        let config = String(decoding: run.config.encoded(), as: UTF8.self)
        let environment = run.environment.map { String(decoding: $0.encoded(), as: UTF8.self) }
        return try await transaction { connection in
            try await Self.requireHeld(token, connection, logger)

            let existing = try await connection.query(
                """
                SELECT id, config_hash, benchmark_sha256, state FROM eval_runs
                WHERE job_id = \(token.id) AND benchmark = \(run.benchmark) FOR UPDATE
                """, logger: logger)
            var found: (id: Int64, configHash: String, benchmarkSHA: String, state: String)?
            for try await row in existing.decode((Int64, String, String, String).self) { found = row }

            if let found, found.configHash == run.configHash, found.benchmarkSHA == run.benchmarkSHA256 {
                if found.state == "complete" { return OpenedEvalRun(id: found.id, finishedProblems: [], complete: true) }
                // Same configuration, so the same numerics; the record follows the attempt that finishes the run.
                try await connection.query(
                    "UPDATE eval_runs SET environment = \(environment)::jsonb WHERE id = \(found.id)", logger: logger)
                let done = try await connection.query(
                    """
                    SELECT problem_id FROM eval_samples WHERE run_id = \(found.id)
                    GROUP BY problem_id HAVING count(*) = \(run.samplesPerProblem)
                    """, logger: logger)
                var finished = Set<String>()
                for try await problem in done.decode(String.self) { finished.insert(problem) }
                return OpenedEvalRun(id: found.id, finishedProblems: finished, complete: false)
            }
            if let found {
                // Another configuration's samples would mix two experiments into one score (samples cascade).
                try await connection.query("DELETE FROM eval_runs WHERE id = \(found.id)", logger: logger)
            }
            let inserted = try await connection.query(
                """
                INSERT INTO eval_runs (job_id, benchmark, benchmark_sha256, experiment, variant, model, model_sha256,
                                       adapter, adapter_sha256, config, config_hash, problems, samples_per_problem, grader,
                                       environment, train_seed)
                SELECT j.id, \(run.benchmark), \(run.benchmarkSHA256), j.experiment, \(run.variant), \(run.model),
                       \(run.modelSHA256), \(run.adapter), \(run.adapterSHA256), \(config)::jsonb, \(run.configHash),
                       \(run.problems), \(run.samplesPerProblem), \(run.grader), \(environment)::jsonb,
                       \(run.trainSeed.map { Int64($0) })
                FROM jobs j WHERE j.id = \(token.id)
                RETURNING id
                """, logger: logger)
            for try await id in inserted.decode(Int64.self) { return OpenedEvalRun(id: id, finishedProblems: [], complete: false) }
            throw EvalStoreError.notHeld(token)
        }
    }

    /// Stores graded samples (normally all n of one problem) while `token` still holds the job.
    public func record(_ samples: [EvalSampleRow], run: Int64, token: JobToken) async throws {
        guard !samples.isEmpty else { return }
        if let bad = samples.first(where: { $0.sampleIndex < 0 || $0.problemID.isEmpty }) {
            throw EvalStoreError.invalidSample("sample \(bad.sampleIndex) of problem '\(bad.problemID)' is not a valid row")
        }
        let rows = String(decoding: JSONValue.array(samples.map(Self.json)).encoded(), as: UTF8.self)
        let result = try await client.query(
            """
            WITH written AS (
                INSERT INTO eval_samples (run_id, problem_id, sample_index, attempt, level, prompt_tokens, output, extracted,
                                          correct, reason, output_tokens, finish_reason, reflection_keywords, gold)
                SELECT r.id, s.problem_id, s.sample_index, j.attempt, s.level, s.prompt_tokens, s.output, s.extracted,
                       s.correct, s.reason, s.output_tokens, s.finish_reason, s.reflection_keywords, s.gold
                FROM jsonb_to_recordset(\(rows)::jsonb) AS s(problem_id text, sample_index int, level text, prompt_tokens int,
                         output text, extracted text, correct boolean, reason text, output_tokens int, finish_reason text,
                         reflection_keywords int, gold text)
                JOIN eval_runs r ON r.id = \(run)
                JOIN jobs j ON j.id = r.job_id AND j.id = \(token.id) AND j.attempt = \(token.attempt) AND j.state = 'running'
                ON CONFLICT (run_id, problem_id, sample_index) DO UPDATE
                SET attempt = EXCLUDED.attempt, level = EXCLUDED.level, prompt_tokens = EXCLUDED.prompt_tokens,
                    output = EXCLUDED.output, extracted = EXCLUDED.extracted, correct = EXCLUDED.correct,
                    reason = EXCLUDED.reason, output_tokens = EXCLUDED.output_tokens, finish_reason = EXCLUDED.finish_reason,
                    reflection_keywords = EXCLUDED.reflection_keywords, gold = EXCLUDED.gold, created_at = now()
                RETURNING 1
            )
            SELECT count(*)::int FROM written
            """, logger: logger)
        for try await count in result.decode(Int.self) where count == samples.count { return }
        throw EvalStoreError.notHeld(token)
    }

    /// Marks the run complete with its score and summary while `token` still holds the job.
    public func complete(run: Int64, accuracy: Double, standardError: Double, summary: JSONValue, token: JobToken) async throws {
        let summaryText = String(decoding: summary.encoded(), as: UTF8.self)
        let rows = try await client.query(
            """
            UPDATE eval_runs r SET state = 'complete', accuracy = \(accuracy), standard_error = \(standardError),
                   summary = \(summaryText)::jsonb, finished_at = now()
            FROM jobs j
            WHERE r.id = \(run) AND j.id = r.job_id AND j.id = \(token.id) AND j.attempt = \(token.attempt) AND j.state = 'running'
            RETURNING r.id
            """, logger: logger)
        for try await _ in rows { return }
        throw EvalStoreError.notHeld(token)
    }

    /// The samples of a run, by problem then sample index: every problem, or `problems` whole problems after `afterProblem`.
    public func samples(run: Int64, afterProblem: String? = nil, problems: Int? = nil) async throws -> [EvalSampleRow] {
        let rows = try await client.query(
            """
            SELECT problem_id, sample_index, level, prompt_tokens, output, extracted, correct, reason, output_tokens,
                   finish_reason, reflection_keywords, gold
            FROM eval_samples
            WHERE run_id = \(run) AND problem_id IN (
                SELECT DISTINCT problem_id FROM eval_samples
                WHERE run_id = \(run) AND (\(afterProblem)::text IS NULL OR problem_id > \(afterProblem))
                ORDER BY problem_id LIMIT \(problems))
            ORDER BY problem_id, sample_index
            """, logger: logger)
        var samples: [EvalSampleRow] = []
        for try await row in rows {
            var cells = row.makeIterator()
            func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T { try cells.next()!.decode(T.self, context: .default) }
            samples.append(EvalSampleRow(
                problemID: try next(), sampleIndex: try next(), level: try next(), promptTokens: try next(), output: try next(),
                extracted: try next(), correct: try next(), reason: try next(), outputTokens: try next(), finishReason: try next(),
                reflectionKeywords: try next(), gold: try next()))
        }
        return samples
    }

    /// A sample as a JSON object for `jsonb_to_recordset`; PostgreSQL text cannot hold NUL, so NULs become U+FFFD.
    static func json(_ sample: EvalSampleRow) -> JSONValue {
        func text(_ value: String) -> JSONValue { .string(value.contains("\0") ? value.replacingOccurrences(of: "\0", with: "\u{FFFD}") : value) }
        return .object([
            "problem_id": text(sample.problemID), "sample_index": .number(Double(sample.sampleIndex)),
            "level": sample.level.map(text) ?? .null, "prompt_tokens": .number(Double(sample.promptTokens)),
            "output": text(sample.output), "extracted": sample.extracted.map(text) ?? .null, "correct": .bool(sample.correct),
            "reason": text(sample.reason), "output_tokens": .number(Double(sample.outputTokens)),
            "finish_reason": text(sample.finishReason), "reflection_keywords": .number(Double(sample.reflectionKeywords)),
            "gold": sample.gold.map(text) ?? .null,
        ])
    }
}

extension JobQueue {
    /// Eval results in the same database, for executors that hold a queue.
    public var evalStore: EvalStore { EvalStore(client: client, logger: logger) }
}
