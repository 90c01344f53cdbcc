import Foundation
public import SkyCore
import SkyEval
import SkyStore
public import SkyWorker

/// Runs `rescore` jobs: grades the stored samples of eval runs again with this worker's grader, without generating,
/// and stores the new verdicts and score while keeping the earlier ones (`EvalStore.rescore`). A dry run reports the
/// flips and the new accuracy and writes nothing.
public struct RescoreExecutor: JobExecutor {
    public let kind = JobKind.rescore

    /// Creates the executor.
    public init() {}

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: RescoreSpec.self)
        let runs: [EvalRunRecord]
        if let experiment = spec.experiment {
            runs = try await context.evals.runs(experiment: experiment)
            guard !runs.isEmpty else { throw PermanentJobError("experiment '\(experiment)' has no complete eval runs to rescore") }
        } else {
            var named: [EvalRunRecord] = []
            for id in spec.runs {
                do {
                    named.append(try await context.evals.run(id))
                } catch EvalStoreError.runNotFound {
                    throw PermanentJobError("eval run \(id) does not exist")
                }
            }
            runs = named
        }
        let grader = GraderVersion.current
        context.log("\(spec.dryRun ? "dry run: " : "")rescoring \(runs.count) eval run\(runs.count == 1 ? "" : "s") with grader \(grader)")
        var results: [JSONValue] = []
        var changed = 0
        for (index, run) in runs.enumerated() {
            try context.checkCancellation()
            let result = try await rescore(run, grader: grader, spec: spec, context: context)
            changed += Int(result["changed"]?.numberValue ?? 0)
            results.append(result)
            context.progress(Double(index + 1) / Double(runs.count), message: "run \(run.id)")
        }
        return .object(["grader": .string(grader), "dryRun": .bool(spec.dryRun), "changed": .number(Double(changed)),
                        "runs": .array(results)])
    }

    /// One run: its result line (skipped runs say why).
    private func rescore(_ run: EvalRunRecord, grader: String, spec: RescoreSpec, context: JobContext) async throws -> JSONValue {
        var result: [String: JSONValue] = [
            "run": .number(Double(run.id)), "benchmark": .string(run.benchmark), "variant": .string(run.variant),
            "from": .string(run.grader), "to": .string(grader),
        ]
        // Named runs fail loudly; an experiment's runs that cannot be rescored are skipped and said so.
        func refuse(_ why: String) throws -> JSONValue {
            if spec.experiment == nil { throw PermanentJobError(why) }
            context.log("skipped: \(why)", level: "warning")
            result["skipped"] = .string(why)
            return .object(result)
        }
        guard run.state == "complete" else { return try refuse("eval run \(run.id) is still running; rescore it once its job has finished") }
        if run.grader == grader {
            context.log("run \(run.id) (\(run.benchmark), \(run.variant)): already graded by \(grader)")
            result["skipped"] = .string("already graded by \(grader)")
            result["changed"] = .number(0)
            return .object(result)
        }
        let samples = try await context.evals.samples(run: run.id)
        guard !samples.isEmpty else {
            return try refuse("eval run \(run.id) has no stored samples (they were deleted); there is nothing to rescore, run its eval again")
        }
        let problems = try await benchmarkProblems(for: run, samples: samples, context: context)

        let sampleGrader = SampleGrader()
        var verdicts: [SampleVerdict] = []
        verdicts.reserveCapacity(samples.count)
        for sample in samples {
            // The same grading an eval does: the benchmark's problem when it had to be loaded, else the stored gold.
            guard let problem = problems?[sample.problemID]
                ?? sample.gold.map({ BenchmarkProblem(id: sample.problemID, problem: "", answer: $0) }) else {
                return try refuse("eval run \(run.id): problem '\(sample.problemID)' is not in the benchmark its job names")
            }
            let verdict = await sampleGrader.gradeAsync(output: sample.output, for: problem)
            verdicts.append(SampleVerdict(problemID: sample.problemID, sampleIndex: sample.sampleIndex, correct: verdict.correct,
                                          extracted: verdict.extracted, reason: verdict.reason))
        }

        let n = run.samplesPerProblem
        var grid: [String: [Bool?]] = [:], order: [String] = [], levels: [String: String?] = [:]
        for (sample, verdict) in zip(samples, verdicts) {
            if grid[sample.problemID] == nil {
                grid[sample.problemID] = Array(repeating: nil, count: n)
                order.append(sample.problemID)
                levels[sample.problemID] = sample.level
            }
            guard sample.sampleIndex < n else { return try refuse("eval run \(run.id): sample \(sample.sampleIndex) of '\(sample.problemID)' is beyond n = \(n)") }
            grid[sample.problemID]![sample.sampleIndex] = verdict.correct
        }
        if let gap = order.first(where: { grid[$0]!.contains(nil) }) {
            return try refuse("eval run \(run.id) is incomplete: problem '\(gap)' has \(grid[gap]!.count { $0 != nil }) of \(n) samples")
        }
        let score = RunScore(correct: order.map { grid[$0]!.map { $0! } }, levels: order.map { levels[$0] ?? nil })

        let (config, configHash) = Self.regraded(config: run.config, grader: grader)
        var summary = score.patching(run.summary ?? .object([:]))
        if case .object(var fields) = summary, fields["configuration"] != nil {
            fields["configuration"] = config
            fields["config_hash"] = .string(configHash)
            summary = .object(fields)
        }
        let rightToWrong = zip(samples, verdicts).count { $0.correct && !$1.correct }
        let wrongToRight = zip(samples, verdicts).count { !$0.correct && $1.correct }
        result["samples"] = .number(Double(samples.count))
        result["changed"] = .number(Double(rightToWrong + wrongToRight))
        result["rightToWrong"] = .number(Double(rightToWrong))
        result["wrongToRight"] = .number(Double(wrongToRight))
        result["accuracyBefore"] = run.accuracy.map(JSONValue.number) ?? .null
        result["accuracyAfter"] = .number(score.accuracy)
        context.log(String(format: "run %lld (%@, %@): %.1f%% → %.1f%%, %d verdicts changed (%d right→wrong, %d wrong→right)%@",
                           run.id, run.benchmark, run.variant, (run.accuracy ?? 0) * 100, score.accuracy * 100,
                           rightToWrong + wrongToRight, rightToWrong, wrongToRight, spec.dryRun ? "; dry run, nothing written" : ""))
        if !spec.dryRun {
            do {
                try await context.evals.rescore(RescoredRun(
                    runID: run.id, previousGrader: run.grader, grader: grader, verdicts: verdicts, accuracy: score.accuracy,
                    standardError: score.standardError, summary: summary, config: config, configHash: configHash),
                    token: context.job.token)
            } catch EvalStoreError.cannotRescore(let why) {
                return try refuse(why)
            }
        }
        return .object(result)
    }

    /// The problems of the run's benchmark by id, loaded through the eval job's spec, when some sample has no stored
    /// gold answer (code problems, samples stored before migration 9); nil when every sample carries its gold.
    private func benchmarkProblems(for run: EvalRunRecord, samples: [EvalSampleRow], context: JobContext) async throws
        -> [String: BenchmarkProblem]? {
        guard samples.contains(where: { $0.gold == nil }) else { return nil }
        guard let jobID = run.jobID else {
            throw PermanentJobError("eval run \(run.id): its samples carry no gold answers (stored before Sky kept them) and its job "
                + "was pruned, so the benchmark cannot be found again; run the eval again")
        }
        let job = try await context.job(jobID)
        guard job.kind == .eval else {
            throw PermanentJobError("eval run \(run.id): samples without gold answers, and job \(jobID) is a \(job.kind.rawValue) job")
        }
        let spec = try JSONDecoder().decode(EvalSpec.self, from: job.spec.encoded())
        let sources = spec.benchmarks.filter { $0.name == run.benchmark }
        guard !sources.isEmpty else { throw PermanentJobError("eval run \(run.id): job \(jobID) names no benchmark '\(run.benchmark)'") }
        let benchmark = try await EvalBenchmarks.load(sources, context: context)[0]
        guard benchmark.sha256 == run.benchmarkSHA256 else {
            throw PermanentJobError("eval run \(run.id): benchmark '\(run.benchmark)' has changed since the run "
                + "(SHA-256 \(benchmark.sha256.prefix(12)), was \(run.benchmarkSHA256.prefix(12))); rescoring needs the same problems")
        }
        return Dictionary(benchmark.problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The run's stored configuration with `grader` recorded, and its hash: an eval's `EvalConfiguration` hashes as
    /// it always does, any other configuration (an import's) as its canonical JSON.
    static func regraded(config: JSONValue, grader: String) -> (JSONValue, String) {
        if var configuration = try? JSONDecoder().decode(EvalConfiguration.self, from: config.encoded()) {
            configuration.grader = grader
            if let json = try? JSONValue.parse(Data(configuration.canonicalJSON().utf8)) { return (json, configuration.configHash) }
        }
        var fields: [String: JSONValue] = [:]
        if case .object(let existing) = config { fields = existing }
        fields["grader"] = .string(grader)
        let patched = JSONValue.object(fields)
        return (patched, SHA256Hasher.hex(patched.encoded()))
    }
}
