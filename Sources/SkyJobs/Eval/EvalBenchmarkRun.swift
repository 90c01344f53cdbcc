import Foundation
import SkyCore
import SkyEval
import SkyModel
import SkyStore
import SkyTensor
import SkyWorker

/// One benchmark of an eval job: open (or reopen) its stored run, sample and grade the problems not yet
/// stored, then summarise every stored sample.
struct EvalBenchmarkRun {
    let benchmark: Benchmark
    let spec: EvalSpec
    let model: EvalModel
    let variant: String
    let trainSeed: UInt64?
    let context: JobContext
    let progress: EvalProgress

    /// The run's id and summary.
    func run() async throws -> (runID: Int64, summary: EvalSummary) {
        let template = try EvalPrompts.template(spec.prompt)
        let configuration = EvalConfiguration(
            modelSHA256: model.modelSHA256, adapterSHA256: model.adapterSHA256, template: template,
            temperature: spec.sampling.temperature, topP: spec.sampling.topP, topK: spec.sampling.topK == 0 ? nil : spec.sampling.topK,
            maxNewTokens: spec.sampling.maxNewTokens, seed: spec.seed, n: spec.sampling.n, dtype: "float32",
            backend: model.backendName, threads: model.threads, kernels: model.device.numerics)
        let token = context.job.token
        let opened = try await context.evals.open(NewEvalRun(
            benchmark: benchmark.name, benchmarkSHA256: benchmark.sha256, variant: variant,
            model: VariantLabel.name(of: spec.model), modelSHA256: model.modelSHA256,
            adapter: spec.adapter.map(VariantLabel.name), adapterSHA256: model.adapterSHA256,
            config: try JSONValue.parse(JSONEncoder().encode(configuration)), configHash: configuration.configHash,
            problems: benchmark.problems.count, samplesPerProblem: spec.sampling.n,
            environment: RunEnvironment.json(device: model.device, backend: model.backendName, threads: model.threads),
            trainSeed: trainSeed), token: token)
        let pending = opened.complete ? [] : benchmark.problems.filter { !opened.finishedProblems.contains($0.id) }
        progress.add(benchmark.problems.count - pending.count, benchmark: benchmark.name)
        if pending.count < benchmark.problems.count {
            context.log("\(benchmark.name): \(benchmark.problems.count - pending.count) problems already graded by an earlier attempt")
        }
        if !pending.isEmpty { try await sample(pending, run: opened.id, template: template) }

        let stored = try await context.evals.samples(run: opened.id)
        let samples = stored.map {
            EvalSample(problemId: $0.problemID, sampleIndex: $0.sampleIndex, promptTokens: $0.promptTokens, output: $0.output,
                       extracted: $0.extracted, correct: $0.correct, reason: $0.reason, outputTokens: $0.outputTokens,
                       finishReason: $0.finishReason)
        }
        let summary: EvalSummary
        do {
            summary = try EvalSummary(benchmark: benchmark, samples: samples, configuration: configuration)
        } catch {
            throw PermanentJobError("\(benchmark.name): stored samples do not cover the benchmark: \(error)")
        }
        if !opened.complete {
            try await context.evals.complete(run: opened.id, accuracy: summary.accuracy, standardError: summary.standardError,
                                             summary: try JSONValue.parse(JSONEncoder().encode(summary)), token: token)
        }
        context.metric("accuracy/\(benchmark.name)", step: benchmark.problems.count, value: summary.accuracy)
        for (k, value) in summary.passAtK { context.metric("pass@\(k)/\(benchmark.name)", step: benchmark.problems.count, value: value) }
        return (opened.id, summary)
    }

    /// Samples `problems` on the eval thread, storing each problem's graded samples as soon as they are done.
    private func sample(_ problems: [BenchmarkProblem], run: Int64, template: PromptTemplate) async throws {
        let chat = ChatTemplate.named(spec.prompt.chatTemplate)
        let positions = model.model.rotary.positions
        var prompts: [EvalPrompt] = []
        for problem in problems {
            let messages: [ChatMessage]
            do {
                messages = try template.messages(for: problem)
            } catch {
                throw PermanentJobError("\(benchmark.name) problem \(problem.id): \(error)")
            }
            let tokens = model.tokenizer.encodeChat(messages, template: chat, addGenerationPrompt: true).ids
            guard tokens.count + spec.sampling.maxNewTokens <= positions else {
                throw PermanentJobError("\(benchmark.name) problem \(problem.id): its prompt (\(tokens.count) tokens) plus "
                    + "maxNewTokens (\(spec.sampling.maxNewTokens)) exceeds the model's \(positions) positions")
            }
            prompts.append(EvalPrompt(key: problem.id, tokens: tokens))
        }
        let byID = Dictionary(problems.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let parameters = SamplingParameters(
            temperature: Float(spec.sampling.temperature), topK: spec.sampling.topK, topP: Float(spec.sampling.topP),
            seed: spec.seed, maxNewTokens: spec.sampling.maxNewTokens, stopTokens: model.stopTokens)
        let sampler = EvalSampler(model: model.model, maxBatchSize: spec.batchSize)
        let grader = SampleGrader(sandbox: benchmark.kind == .code ? try Self.sandbox() : nil)
        let (context, benchmark, model, progress, n, requests) = (context, benchmark, model, progress, spec.sampling.n, prompts)
        try await ThreadExecutor.run(name: "sky-eval-\(context.jobID)") {
            var correct = 0, graded = 0
            _ = try await sampler.sample(requests, samplesPerProblem: n, parameters: parameters) { sampled in
                guard let problem = byID[sampled.key] else { return }
                var rows: [EvalSampleRow] = []
                for sample in sampled.samples {
                    let text = model.text(of: sample.tokens)
                    let verdict = await grader.gradeAsync(output: text, for: problem)
                    rows.append(EvalSampleRow(
                        problemID: problem.id, sampleIndex: sample.index, level: problem.level, promptTokens: sampled.promptTokens,
                        output: text, extracted: verdict.extracted, correct: verdict.correct, reason: verdict.reason,
                        outputTokens: sample.tokens.count, finishReason: sample.finishReason.rawValue,
                        reflectionKeywords: ReflectionKeywords.count(in: text), gold: problem.answer))
                }
                try await context.evals.record(rows, run: run, token: context.job.token)
                correct += rows.filter(\.correct).count
                graded += rows.count
                progress.add(1, benchmark: benchmark.name)
                context.metric("running_accuracy/\(benchmark.name)", step: graded / max(1, n), value: Double(correct) / Double(graded))
            }
        }
    }

    /// The sandbox code problems run in; a worker without python3 cannot grade them at all.
    private static func sandbox() throws -> CodeSandbox {
        do {
            return try CodeSandbox()
        } catch {
            throw PermanentJobError("cannot grade code on this worker: \(error)")
        }
    }
}
