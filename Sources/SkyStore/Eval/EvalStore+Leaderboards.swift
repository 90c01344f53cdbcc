import Foundation
import Logging
import PostgresNIO
import SkyCore

extension EvalStore {
    /// Rows of the `leaderboard` view, best first; all benchmarks unless one is named.
    public func leaderboard(benchmark: String? = nil, limit: Int = 1000) async throws -> [LeaderboardEntry] {
        let rows = try await client.query(
            """
            SELECT benchmark, model, model_sha256, adapter, adapter_sha256, experiment, variant,
                   best_accuracy, best_standard_error, best_n, best_config_hash, best_job_id,
                   latest_accuracy, latest_standard_error, latest_n, latest_config_hash, latest_job_id, latest_finished_at, runs::int,
                   best_grader, latest_grader
            FROM leaderboard WHERE \(benchmark)::text IS NULL OR benchmark = \(benchmark)
            ORDER BY benchmark, best_accuracy DESC, latest_finished_at DESC LIMIT \(limit)
            """, logger: logger)
        var entries: [LeaderboardEntry] = []
        for try await row in rows {
            var cells = row.makeIterator()
            func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T { try cells.next()!.decode(T.self, context: .default) }
            let benchmark: String = try next(), model: String = try next(), modelSHA: String = try next()
            let adapter: String? = try next(), adapterSHA: String? = try next(), experiment: String? = try next()
            let variant: String = try next()
            var best = LeaderboardEntry.Score(accuracy: try next(), standardError: try next(), n: try next(), configHash: try next(), jobID: try next())
            var latest = LeaderboardEntry.Score(accuracy: try next(), standardError: try next(), n: try next(), configHash: try next(), jobID: try next())
            let finished: Date = try next(), runs: Int = try next()
            best.grader = try next()
            latest.grader = try next()
            entries.append(LeaderboardEntry(
                benchmark: benchmark, model: model, modelSHA256: modelSHA, adapter: adapter, adapterSHA256: adapterSHA,
                experiment: experiment, variant: variant, best: best, latest: latest, runs: runs, latestFinishedAt: finished))
        }
        return entries
    }

    /// For every other variant's cell of `experiment`, the exact McNemar p-value of its samples against the `against`
    /// variant's on the same benchmark (from `eval_run_comparisons`): variant → benchmark → p.
    public func pairedPValues(experiment: String, against: String) async throws -> [String: [String: Double]] {
        // LATERAL with the two run ids lets PostgreSQL read only those runs' samples for each cell.
        let rows = try await client.query(
            """
            SELECT s.variant, s.benchmark, c.mcnemar_p
            FROM experiment_scores s
            JOIN experiment_scores r ON r.experiment = s.experiment AND r.benchmark = s.benchmark AND r.variant = \(against)
            CROSS JOIN LATERAL (SELECT mcnemar_p FROM eval_run_comparisons WHERE run_a = r.run_id AND run_b = s.run_id) c
            WHERE s.experiment = \(experiment) AND s.variant <> \(against)
            """, logger: logger)
        var result: [String: [String: Double]] = [:]
        for try await (variant, benchmark, p) in rows.decode((String, String, Double).self) { result[variant, default: [:]][benchmark] = p }
        return result
    }

    /// Every seed's score of `experiment` (the `experiment_seed_scores` view), by variant, benchmark and seed.
    public func seedScores(_ experiment: String) async throws -> [SeedScore] {
        let rows = try await client.query(
            """
            SELECT variant, benchmark, train_seed, accuracy FROM experiment_seed_scores
            WHERE experiment = \(experiment) ORDER BY variant, benchmark, train_seed
            """, logger: logger)
        var scores: [SeedScore] = []
        for try await (variant, benchmark, seed, accuracy) in rows.decode((String, String, Int64?, Double).self) {
            scores.append(SeedScore(variant: variant, benchmark: benchmark, seed: seed, accuracy: accuracy))
        }
        return scores
    }

    /// Rows of the `experiment_table` view for `experiment`, in submission order.
    public func experimentTable(_ experiment: String) async throws -> [ExperimentTableRow] {
        let rows = try await client.query(
            """
            SELECT experiment, variant, scores::text, average, average_standard_error, first_job_id
            FROM experiment_table WHERE experiment = \(experiment) ORDER BY first_job_id NULLS LAST, variant
            """, logger: logger)
        var table: [ExperimentTableRow] = []
        for try await (experiment, variant, scores, average, averageSE, firstJob)
            in rows.decode((String, String, String, Double, Double?, Int64?).self) {
            var cells: [String: ExperimentTableRow.Cell] = [:]
            if case .object(let byBenchmark)? = try? JSONValue.parse(Data(scores.utf8)) {
                for (benchmark, cell) in byBenchmark {
                    guard let accuracy = cell["accuracy"]?.numberValue else { continue }
                    cells[benchmark] = ExperimentTableRow.Cell(
                        accuracy: accuracy, standardError: cell["standardError"]?.numberValue,
                        n: Int(cell["n"]?.numberValue ?? 0), problems: Int(cell["problems"]?.numberValue ?? 0),
                        jobID: cell["jobId"]?.numberValue.map { Int64($0) }, runID: cell["runId"]?.numberValue.map { Int64($0) },
                        grader: cell["grader"]?.stringValue, importedFrom: cell["importedFrom"]?.stringValue,
                        seeds: cell["seeds"]?.numberValue.map { Int($0) } ?? 1,
                        seedStandardDeviation: cell["seedStandardDeviation"]?.numberValue)
                }
            }
            table.append(ExperimentTableRow(experiment: experiment, variant: variant, scores: cells, average: average,
                                            averageStandardError: averageSE, firstJobID: firstJob))
        }
        return table
    }

    /// The eval runs of job `id` (one per benchmark), in the order they started.
    public func runs(ofJob id: Int64) async throws -> [EvalRunRecord] {
        var bindings = PostgresBindings()
        bindings.append(id)
        return try await runs(where: "job_id = $1", binds: bindings)
    }

    /// The run with `id`.
    public func run(_ id: Int64) async throws -> EvalRunRecord {
        var bindings = PostgresBindings()
        bindings.append(id)
        guard let run = try await runs(where: "id = $1", binds: bindings).first else { throw EvalStoreError.runNotFound(id) }
        return run
    }

    /// The complete runs of `experiment`, oldest first.
    public func runs(experiment: String) async throws -> [EvalRunRecord] {
        var bindings = PostgresBindings()
        bindings.append(experiment)
        return try await runs(where: "experiment = $1 AND state = 'complete'", binds: bindings)
    }

    private func runs(where condition: String, binds bindings: PostgresBindings) async throws -> [EvalRunRecord] {
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT id, job_id, benchmark, benchmark_sha256, experiment, variant, model, model_sha256, adapter, adapter_sha256,
                   config::text, config_hash, problems, samples_per_problem, state, accuracy, standard_error, summary::text,
                   created_at, finished_at, grader, source::text, environment::text, train_seed
            FROM eval_runs WHERE \(condition) ORDER BY id
            """, binds: bindings), logger: logger)
        var runs: [EvalRunRecord] = []
        for try await row in rows {
            var cells = row.makeIterator()
            func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T { try cells.next()!.decode(T.self, context: .default) }
            func json(_ text: String?) -> JSONValue? { text.flatMap { try? JSONValue.parse(Data($0.utf8)) } }
            runs.append(EvalRunRecord(
                id: try next(), jobID: try next(), benchmark: try next(), benchmarkSHA256: try next(), experiment: try next(),
                variant: try next(), model: try next(), modelSHA256: try next(), adapter: try next(), adapterSHA256: try next(),
                config: json(try next(String.self)) ?? .null, configHash: try next(), problems: try next(),
                samplesPerProblem: try next(), state: try next(), accuracy: try next(), standardError: try next(),
                summary: json(try next(String?.self)), createdAt: try next(), finishedAt: try next(), grader: try next(),
                source: json(try next(String?.self)), environment: json(try next(String?.self)), trainSeed: try next()))
        }
        return runs
    }
}
