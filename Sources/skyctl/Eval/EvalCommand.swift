import ArgumentParser
import Foundation
import SkyClient
import SkyCore
import SkyEval

/// `skyctl eval …`: grade stored results again, import other harnesses' outputs, and see what a grader change moved.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Rescore stored eval runs, import other harnesses' outputs, and list what two graders judged differently.",
        subcommands: [EvalRescoreCommand.self, EvalImportCommand.self, EvalDiffGradersCommand.self])
}

/// `skyctl eval rescore RUN… | --experiment NAME [--dry-run]`.
struct EvalRescoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rescore",
        abstract: "Grade stored eval runs again with the workers' grader, without generating (a rescore job).",
        discussion: """
        Submits a `rescore` job and, unless --detach, waits for it and prints each run's accuracy before and after \
        and how many verdicts flipped. The earlier verdicts stay stored under the grader that gave them (see \
        `skyctl eval diff-graders RUN`); tables then show the new grader's version. --dry-run writes nothing.
        """)

    @Argument(help: "Eval run ids (from `skyctl show JOB` or the leaderboard views).") var runs: [Int64] = []
    @Option(help: "Every complete run of this experiment instead.") var experiment: String?
    @Flag(help: "Report what would change; write nothing.") var dryRun = false
    @Flag(help: "Print the job id and return without waiting.") var detach = false
    @Option(help: "Queue for the job.") var queue: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard runs.isEmpty != (experiment == nil) else { throw ValidationError("give eval run ids or --experiment NAME, not both") }
    }

    func run() async throws {
        var spec: [String: JSONValue] = ["dryRun": .bool(dryRun)]
        if let experiment { spec["experiment"] = .string(experiment) } else { spec["runs"] = .array(runs.map { .number(Double($0)) }) }
        try await connection.withClient { client in
            let job = try await client.submit(NewJob(kind: .rescore, spec: .object(spec), name: "rescore", queue: queue,
                                                     maxAttempts: 1, experiment: experiment))
            if detach { return print(job.id) }
            let done = try await JobWait.finished(job.id, client: client)
            if output.json { return try Output.json(done) }
            guard done.state == .succeeded, let result = done.result else { throw JobWait.failure(done) }
            print(Self.render(result))
        }
    }

    /// One line per run: accuracy before → after and the flips, or why it was skipped.
    static func render(_ result: JSONValue) -> String {
        var table = TextTable(headers: ["RUN", "BENCHMARK", "VARIANT", "BEFORE", "AFTER", "CHANGED", "R→W", "W→R", "NOTE"],
                              rightAligned: [0, 3, 4, 5, 6, 7])
        if case .array(let runs)? = result["runs"] {
            for run in runs {
                func number(_ key: String) -> String { run[key]?.numberValue.map { String(Int($0)) } ?? "-" }
                func percent(_ key: String) -> String { run[key]?.numberValue.map { String(format: "%.1f", $0 * 100) } ?? "-" }
                table.append([number("run"), run["benchmark"]?.stringValue ?? "", run["variant"]?.stringValue ?? "",
                              percent("accuracyBefore"), percent("accuracyAfter"), number("changed"), number("rightToWrong"),
                              number("wrongToRight"), run["skipped"]?.stringValue ?? ""])
            }
        }
        let grader = result["grader"]?.stringValue ?? "?"
        let dry = result["dryRun"] == .bool(true)
        return table.render() + "\n" + (dry ? "dry run with grader \(grader): nothing written" : "rescored with grader \(grader)")
    }
}

/// `skyctl eval import FILE --format F --model LABEL --benchmark NAME`.
struct EvalImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load another harness's per-sample outputs as an eval run, graded by Sky beside the harness's own verdicts.",
        discussion: """
        Formats: qwen-math (the Qwen2.5-Math / SkyThought evaluation JSONL: idx, question, gt, code, pred, score), \
        skythought (`skythought evaluate`'s results JSON keyed by problem id), lm-eval (lm-evaluation-harness \
        --log_samples JSONL). The file is checked here first (a malformed line is reported with its line and field, \
        and nothing is imported), then uploaded and imported by an `import` job in one transaction. The run appears \
        in the leaderboards and, with --experiment, as a row of that experiment's table; `skyctl eval diff-graders \
        RUN` lists where Sky and the harness disagree.
        """)

    @Argument(help: "The harness's output file.") var file: String
    @Option(help: "Its format: \(HarnessFormat.names).") var format: String
    @Option(help: "The model that produced the outputs, as tables should name it.") var model: String
    @Option(help: "The benchmark's name, as Sky's own runs of it are named.") var benchmark: String
    @Option(help: "The experiment table row (default: the model label).") var variant: String?
    @Option(help: "The experiment the run belongs to.") var experiment: String?
    @Option(help: "lm-eval: the metric field with each sample's verdict (default exact_match, math_verify or acc).") var metric: String?
    @Option(help: "skythought: the field with the gold answer (default answer, final_answer, expected_answer or gt).") var goldField: String?
    @Flag(help: "Print the job id and return without waiting.") var detach = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard let harness = HarnessFormat(rawValue: format) else {
            throw CLIFailure("--format: unknown format '\(format)'; known formats: \(HarnessFormat.names)", code: 64)
        }
        let url = URL(fileURLWithPath: file)
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw CLIFailure("\(file): no such file", code: 66) }
        let problems: [ImportedProblem]
        do {
            let data = try Data(contentsOf: url, options: .mappedIfSafe)
            problems = try HarnessImport(format: harness, fileName: file, metric: metric, goldField: goldField).read(data)
        } catch let error as HarnessImportError {
            throw CLIFailure("\(error.description); nothing imported", code: 65)
        }
        FileHandle.standardError.write(Data("\(file): \(problems.count) problems × \(problems[0].outputs.count) outputs; uploading\n".utf8))
        try await connection.withClient { client in
            let artifact = try await client.uploadArtifact(url, name: url.lastPathComponent, kind: .evalResults)
            var spec: [String: JSONValue] = [
                "file": .object(["artifact": .string(String(artifact.id))]), "format": .string(harness.rawValue),
                "model": .string(model), "benchmark": .string(benchmark), "fileName": .string(url.lastPathComponent),
            ]
            for (key, value) in [("variant", variant), ("experiment", experiment), ("metric", metric), ("goldField", goldField)] {
                if let value { spec[key] = .string(value) }
            }
            let job = try await client.submit(NewJob(kind: .importResults, spec: .object(spec), name: "import \(url.lastPathComponent)",
                                                     maxAttempts: 1, experiment: experiment))
            if detach { return print(job.id) }
            let done = try await JobWait.finished(job.id, client: client)
            if output.json { return try Output.json(done) }
            guard done.state == .succeeded, let result = done.result else { throw JobWait.failure(done) }
            print(Self.render(result, model: model))
        }
    }

    static func render(_ result: JSONValue, model: String) -> String {
        let run = result["run"]?.numberValue.map { String(Int64($0)) } ?? "?"
        var lines = [String(format: "eval run %@: %@ on %@, %d problems × %d: Sky %.1f%% ± %.1f (grader %@)", run, model,
                            result["benchmark"]?.stringValue ?? "?", Int(result["problems"]?.numberValue ?? 0),
                            Int(result["n"]?.numberValue ?? 0), (result["accuracy"]?.numberValue ?? 0) * 100,
                            (result["standardError"]?.numberValue ?? 0) * 100, result["grader"]?.stringValue ?? "?")]
        if let harness = result["harnessAccuracy"]?.numberValue {
            lines.append(String(format: "the harness's own verdicts: %.1f%%; Sky and the harness disagree on %d samples", harness * 100,
                                Int(result["disagreements"]?.numberValue ?? 0)))
            lines.append("see them: skyctl eval diff-graders \(run)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `skyctl eval diff-graders RUN [--from G] [--to G]`.
struct EvalDiffGradersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff-graders",
        abstract: "A run's accuracy under every grader that judged it, and the samples two of them judged differently.",
        discussion: """
        Without --from/--to: the run's current grader against the other one (an earlier Sky grader after a rescore, or \
        the harness after an import); with several, name them. The same rows are in the `eval_verdict_changes` view.
        """)

    @Argument(help: "The eval run id.") var run: Int64
    @Option(help: "The earlier grader (a version, or harness:<format>).") var from: String?
    @Option(help: "The later grader (default: the run's current one).") var to: String?
    @Option(help: "Show at most this many changes (0: all).") var limit = 50
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            let detail = try await client.evalRun(run)
            let graders = detail.graders ?? []
            let current = graders.first(where: \.current)?.grader ?? detail.grader ?? ""
            let to = self.to ?? current
            let others = graders.map(\.grader).filter { $0 != to }
            guard let from = self.from ?? (others.count == 1 ? others[0] : nil) else {
                throw CLIFailure(others.isEmpty
                    ? "eval run \(run) has been judged by one grader only (\(current)); rescore or import it to compare"
                    : "eval run \(run) was judged by \(others.count + 1) graders; name one with --from (\(others.joined(separator: ", ")))",
                    code: others.isEmpty ? 66 : 64)
            }
            let changes = try await client.verdictChanges(run: run, from: from, to: to)
            if output.json { return try Output.json(changes) }
            var table = TextTable(headers: ["GRADER", "SAMPLES", "ACCURACY", ""], rightAligned: [1, 2])
            for score in graders {
                table.append([score.grader, String(score.samples), String(format: "%.1f", score.accuracy * 100), score.current ? "current" : ""])
            }
            print("eval run \(run): \(detail.benchmark), \(detail.variant)\n" + table.render())
            let rightToWrong = changes.count { $0.before.correct && !$0.after.correct }
            print("\n\(changes.count) samples judged differently by \(from) → \(to): \(rightToWrong) right→wrong, "
                  + "\(changes.count - rightToWrong) wrong→right")
            guard !changes.isEmpty else { return }
            var list = TextTable(headers: ["PROBLEM", "#", "GOLD", "BEFORE", "AFTER", "WHY NOW"], rightAligned: [1])
            for change in limit > 0 ? Array(changes.prefix(limit)) : changes {
                func cell(_ verdict: VerdictChangeEntry.Verdict) -> String {
                    (verdict.correct ? "right" : "wrong") + (verdict.extracted.map { " " + Self.clip($0, 24) } ?? "")
                }
                list.append([change.problemId, String(change.sampleIndex), Self.clip(change.gold ?? "-", 20), cell(change.before),
                             cell(change.after), Self.clip(change.after.reason, 48)])
            }
            print(list.render())
            if limit > 0 && changes.count > limit { print("… \(changes.count - limit) more (--limit 0 shows all)") }
        }
    }

    static func clip(_ text: String, _ width: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count <= width ? flat : String(flat.prefix(width - 1)) + "…"
    }
}

/// Waiting for a job that skyctl submitted on the user's behalf.
enum JobWait {
    /// The job once it is succeeded, failed or cancelled.
    static func finished(_ id: Int64, client: APIClient) async throws -> Job {
        var delay = 0.2
        while true {
            let job = try await client.job(id)
            if job.state.isFinal { return job }
            try await Task.sleep(for: .seconds(delay))
            delay = min(delay * 1.5, 2)
        }
    }

    /// The error for a job that did not succeed.
    static func failure(_ job: Job) -> CLIFailure {
        CLIFailure("job \(job.id) \(job.state.rawValue): \(job.error ?? "no error recorded")", code: 1)
    }
}
