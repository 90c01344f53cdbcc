import ArgumentParser
import Foundation
import SkyCore
import SkyEval
import SkyJobs
import SkyModel

/// `skyctl bench eval`: a full evaluation of a local model on the synthetic benchmark, as an eval job runs it
/// (EvalSampler batches, the same prompt and grader), timed: problems/s, generated tokens/s, grading answers/s.
struct EvalBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure a full eval on the synthetic benchmark: problems/s, tokens/s and grading answers/s.",
        discussion: """
        The benchmark is the one an eval job's `builtin: {task: synthetic}` makes (its held-out problems: seed, --per-level), \
        prompted with the `boxed` template in ChatML, greedy unless --temperature is set. Each round samples every \
        problem and grades every sample; the median round is reported with the accuracy it measured.
        """)

    @Option(help: "Model directory (Hugging Face format), e.g. the model a `skyctl train --local` full run wrote.") var model: String
    @Option(help: "PEFT adapter directory applied without merging.") var adapter: String?
    @Option(help: "Synthetic problems per difficulty level.") var perLevel = 20
    @Option(help: "Seed of the synthetic task.") var seed: UInt64 = 0
    @Option(help: "Samples per problem.") var n = 1
    @Option(help: "Sampling temperature; 0 is greedy.") var temperature: Float = 0
    @Option(help: "Most tokens generated per sample.") var maxNewTokens = 256
    @Option(help: "Sequences decoded together.") var batch = 16
    @Option(help: "BLAS threads (default: every core).") var threads: Int?
    @Option(help: "Rounds; the median is reported.") var rounds = 3

    func validate() throws {
        guard perLevel > 0, n > 0, maxNewTokens > 0, batch > 0, rounds > 0 else {
            throw ValidationError("--per-level, --n, --max-new-tokens, --batch and --rounds must be positive")
        }
    }

    func run() async throws {
        let loaded = try EvalModel.load(directory: URL(fileURLWithPath: model), adapter: adapter.map { URL(fileURLWithPath: $0) }, threads: threads)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sky-bench-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let benchmark = try EvalBenchmarks.synthetic(
            name: "synthetic", EvalSpec.Builtin(seed: seed, perLevel: perLevel), in: scratch)
        let template = PromptTemplate.custom(system: nil, user: "Return your final response within \\boxed{}. {problem}")
        let prompts = try benchmark.problems.map { problem in
            EvalPrompt(key: problem.id, tokens: loaded.tokenizer.encodeChat(
                try template.messages(for: problem), template: .chatML, addGenerationPrompt: true).ids)
        }
        let parameters = SamplingParameters(temperature: temperature, seed: seed, maxNewTokens: maxNewTokens, stopTokens: loaded.stopTokens)
        let byID = Dictionary(uniqueKeysWithValues: benchmark.problems.map { ($0.id, $0) })
        let grader = SampleGrader()
        var results: [(sampling: Double, grading: Double, tokens: Int, correct: Int, samples: Int)] = []
        var byLevel: [String: (correct: Int, samples: Int)] = [:]
        for _ in 0..<rounds {
            let clock = ContinuousClock()
            let start = clock.now
            let sampled = try await EvalSampler(model: loaded.model, maxBatchSize: batch).sample(prompts, samplesPerProblem: n, parameters: parameters)
            let sampling = (clock.now - start).seconds
            let outputs = sampled.flatMap { problem in problem.samples.map { (problem.key, loaded.text(of: $0.tokens), $0.tokens.count) } }
            let gradeStart = clock.now
            let verdicts = outputs.map { grader.grade(output: $0.1, for: byID[$0.0]!).correct }
            let grading = (clock.now - gradeStart).seconds
            let correct = verdicts.filter { $0 }.count
            byLevel = [:]
            for (output, verdict) in zip(outputs, verdicts) {
                let level = byID[output.0]?.level ?? "-"
                byLevel[level, default: (0, 0)].correct += verdict ? 1 : 0
                byLevel[level, default: (0, 0)].samples += 1
            }
            results.append((sampling, grading, outputs.reduce(0) { $0 + $1.2 }, correct, outputs.count))
        }
        let median = results.sorted { $0.sampling < $1.sampling }[results.count / 2]
        let problems = benchmark.problems.count
        let accuracy = Double(median.correct) / Double(median.samples)
        print(String(format: "eval: %d problems × %d samples, %d threads, batch %d: %.2f problems/s, %.0f generated tokens/s "
                        + "(%.1f tokens per sample), %.0f s sampling; grading %.0f answers/s; accuracy %.1f%%",
                     problems, n, loaded.threads, batch, Double(problems) / median.sampling, Double(median.tokens) / median.sampling,
                     Double(median.tokens) / Double(median.samples), median.sampling, Double(median.samples) / max(median.grading, 1e-9),
                     accuracy * 100))
        print("accuracy by level: " + byLevel.keys.sorted().map { level in
            String(format: "%@ %.1f%%", level, Double(byLevel[level]!.correct) / Double(byLevel[level]!.samples) * 100)
        }.joined(separator: ", "))
        print("rounds (problems/s): " + results.map { String(format: "%.2f", Double(problems) / $0.sampling) }.joined(separator: ", "))
    }
}
