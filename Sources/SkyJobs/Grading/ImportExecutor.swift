import Foundation
public import SkyCore
import SkyEval
import SkyStore
public import SkyWorker

/// Runs `import` jobs: reads another harness's per-sample outputs (a malformed file is refused whole, naming the line
/// and field), grades every output with Sky's grader, and stores one complete eval run with both Sky's verdicts and
/// the harness's, so the two can be compared sample by sample and the run sits in the same tables as Sky's own.
public struct ImportExecutor: JobExecutor {
    public let kind = JobKind.importResults

    /// Creates the executor.
    public init() {}

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: ImportSpec.self)
        guard let format = HarnessFormat(rawValue: spec.format) else {
            throw PermanentJobError("unknown format '\(spec.format)'; known formats: \(HarnessFormat.names)")
        }
        let file = try await DatasetInputs.resolve(spec.file, name: "import", context: context)
        let name = spec.fileName ?? spec.file.path.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "artifact \(spec.file.artifact ?? "?")"
        let reader = HarnessImport(format: format, fileName: name, metric: spec.metric, goldField: spec.goldField)
        let graded = try await OwnThread.run { () throws -> GradedImport in
            let data = try Data(contentsOf: file, options: .mappedIfSafe)
            let problems: [ImportedProblem]
            do {
                problems = try reader.read(data)
            } catch let error as HarnessImportError {
                throw PermanentJobError(error.description)
            }
            return GradedImport(problems: problems, sha256: SHA256Hasher.hex(data), format: format)
        }
        let n = graded.n
        let config: JSONValue = .object([
            "imported": .object(["format": .string(format.rawValue), "sha256": .string(graded.sha256)]),
            "grader": .string(GraderVersion.current), "n": .number(Double(n)),
        ])
        let harnessGrader = "harness:\(format.rawValue)"
        let harnessAccuracy: JSONValue = graded.harnessAccuracy.map(JSONValue.number) ?? .null
        var sourceFields: [String: JSONValue] = ["format": .string(format.rawValue), "file": .string(name)]
        sourceFields["sha256"] = .string(graded.sha256)
        sourceFields["harnessGrader"] = .string(harnessGrader)
        sourceFields["harnessAccuracy"] = harnessAccuracy
        sourceFields["harnessVerdicts"] = .number(Double(graded.harnessVerdicts.count))
        let source = JSONValue.object(sourceFields)
        var summaryFields: [String: JSONValue] = ["benchmark": .string(spec.benchmark), "imported": source]
        summaryFields["benchmark_sha256"] = .string(graded.benchmarkSHA256)
        summaryFields["problem_count"] = .number(Double(graded.problems.count))
        summaryFields["n"] = .number(Double(n))
        summaryFields["avg_output_tokens"] = .number(graded.averageOutputTokens)
        summaryFields["avg_reflection_keywords"] = .number(EvalMetrics.mean(graded.samples.map { Double($0.reflectionKeywords) }))
        summaryFields["harness_accuracy"] = harnessAccuracy
        let summary = graded.score.patching(.object(summaryFields))
        let runID = try await context.evals.importRun(ImportedRun(
            run: NewEvalRun(benchmark: spec.benchmark, benchmarkSHA256: graded.benchmarkSHA256, variant: spec.variant ?? spec.model,
                            model: spec.model, modelSHA256: graded.sha256, config: config,
                            configHash: SHA256Hasher.hex(config.encoded()), problems: graded.problems.count, samplesPerProblem: n),
            experiment: spec.experiment, source: source, samples: graded.samples, harnessVerdicts: graded.harnessVerdicts,
            harnessGrader: harnessGrader, accuracy: graded.score.accuracy, standardError: graded.score.standardError,
            summary: summary), token: context.job.token)

        let disagreements = graded.disagreements
        var line = String(format: "imported %@ (%@, sha256 %@): %d problems × %d outputs as eval run %lld; Sky %.1f%% ± %.1f",
                          name, format.rawValue, String(graded.sha256.prefix(12)), graded.problems.count, n, runID,
                          graded.score.accuracy * 100, graded.score.standardError * 100)
        if let harness = graded.harnessAccuracy {
            line += String(format: ", the harness %.1f%%; they disagree on %d of %d samples", harness * 100, disagreements,
                           graded.harnessVerdicts.count)
        }
        context.log(line)
        context.metric("accuracy/\(spec.benchmark)", step: graded.problems.count, value: graded.score.accuracy)
        var result: [String: JSONValue] = ["run": .number(Double(runID)), "benchmark": .string(spec.benchmark)]
        result["problems"] = .number(Double(graded.problems.count))
        result["n"] = .number(Double(n))
        result["accuracy"] = .number(graded.score.accuracy)
        result["standardError"] = .number(graded.score.standardError)
        result["harnessAccuracy"] = harnessAccuracy
        result["disagreements"] = .number(Double(disagreements))
        result["sha256"] = .string(graded.sha256)
        result["grader"] = .string(GraderVersion.current)
        return .object(result)
    }
}

/// An imported file's problems with every output graded by Sky.
struct GradedImport: Sendable {
    let problems: [ImportedProblem]
    let sha256: String
    let samples: [EvalSampleRow]
    let harnessVerdicts: [SampleVerdict]
    let score: RunScore

    /// Grades every output of `problems` against its problem's gold answer.
    init(problems: [ImportedProblem], sha256: String, format: HarnessFormat) {
        self.problems = problems
        self.sha256 = sha256
        var samples: [EvalSampleRow] = [], harness: [SampleVerdict] = [], grid: [[Bool]] = []
        for problem in problems {
            var row: [Bool] = []
            for (index, output) in problem.outputs.enumerated() {
                let verdict = Grader.grade(gold: problem.gold, prediction: output.text)
                row.append(verdict.correct)
                samples.append(EvalSampleRow(
                    problemID: problem.id, sampleIndex: index, level: problem.level, promptTokens: 0, output: output.text,
                    extracted: verdict.extracted, correct: verdict.correct, reason: verdict.reason,
                    outputTokens: output.outputTokens ?? 0, finishReason: "imported",
                    reflectionKeywords: ReflectionKeywords.count(in: output.text), gold: problem.gold))
                if let correct = output.harnessCorrect {
                    harness.append(SampleVerdict(problemID: problem.id, sampleIndex: index, correct: correct,
                                                 extracted: output.harnessAnswer, reason: "the \(format.rawValue) harness's own verdict"))
                }
            }
            grid.append(row)
        }
        self.samples = samples
        harnessVerdicts = harness
        score = RunScore(correct: grid, levels: problems.map(\.level))
    }

    /// Outputs per problem.
    var n: Int { problems.first?.outputs.count ?? 0 }

    /// The harness's accuracy when it judged every output; nil otherwise.
    var harnessAccuracy: Double? {
        guard !harnessVerdicts.isEmpty, harnessVerdicts.count == samples.count else { return nil }
        return Double(harnessVerdicts.count { $0.correct }) / Double(harnessVerdicts.count)
    }

    /// Samples on which the harness and Sky disagree.
    var disagreements: Int {
        let sky = Dictionary(samples.map { ("\($0.problemID)\u{1F}\($0.sampleIndex)", $0.correct) }, uniquingKeysWith: { a, _ in a })
        return harnessVerdicts.count { sky["\($0.problemID)\u{1F}\($0.sampleIndex)"] != $0.correct }
    }

    /// Mean completion tokens over the outputs that report them (0 when none do).
    var averageOutputTokens: Double {
        let known = samples.filter { $0.outputTokens > 0 }.map { Double($0.outputTokens) }
        return known.isEmpty ? 0 : EvalMetrics.mean(known)
    }

    /// SHA-256 over the problems' ids and gold answers in file order: what "the same benchmark" means for an import.
    var benchmarkSHA256: String {
        SHA256Hasher.hex(Array(problems.map { "\($0.id)\t\($0.gold)\n" }.joined().utf8))
    }
}
