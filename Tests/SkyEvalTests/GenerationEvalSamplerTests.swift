import SkyEval
import SkyModel
import SkyTensor
import Testing

/// Batched evaluation sampling: per-sample seeds make outputs independent of batching and resume, problems
/// stream out as they complete, cancellation stops between steps.
@Suite struct GenerationEvalSamplerTests {
    static let backend = BLASBackend(threads: 1)
    static let model: CausalLM = {
        let config = ModelConfig(modelType: .qwen2, vocabSize: 40, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2,
                                 numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 4, rmsNormEps: 1e-6, ropeTheta: 10_000,
                                 tieWordEmbeddings: false, maxPositionEmbeddings: 64)
        do {
            // A large init spread so distributions are peaked and greedy ties cannot occur.
            return CausalLM(config: config, weights: try ModelWeights.random(config: config, seed: 42, std: 0.5, backend: backend),
                            backend: backend)
        } catch { fatalError("\(error)") }
    }()

    static let prompts: [EvalPrompt] = (1...6).map { (p: Int) -> EvalPrompt in
        let tokens: [Int32] = (0..<(2 + p % 4)).map { (i: Int) -> Int32 in Int32((i * 7 + p * 5) % 40) }
        return EvalPrompt(key: "toy/\(p)", tokens: tokens)
    }
    /// Temperature 1 with three stop tokens: some samples stop, some run to the length limit.
    static let sampling = SamplingParameters(temperature: 1, topK: 20, topP: 0.95, seed: 2024, maxNewTokens: 10, stopTokens: [0, 1, 2])

    func run(_ prompts: [EvalPrompt], n: Int = 3, batch: Int, parameters: SamplingParameters = sampling) async throws -> [SampledProblem] {
        try await EvalSampler(model: Self.model, maxBatchSize: batch).sample(prompts, samplesPerProblem: n, parameters: parameters)
    }

    @Test func batchSizeDoesNotChangeAnySample() async throws {
        let one = try await run(Self.prompts, batch: 1), eight = try await run(Self.prompts, batch: 8)
        // A one-token prefill budget admits a single new prompt per step: a different schedule, the same samples.
        let trickled = try await EvalSampler(model: Self.model, maxBatchSize: 8, maxPrefillTokens: 1)
            .sample(Self.prompts, samplesPerProblem: 3, parameters: Self.sampling)
        #expect(one == eight && eight == trickled)
        #expect(one.map(\.key) == Self.prompts.map(\.key) && one.allSatisfy { $0.samples.map(\.index) == [0, 1, 2] })
        let samples = one.flatMap(\.samples)
        #expect(Set(samples.map(\.tokens)).count > samples.count / 2)  // samples differ: each has its own stream
        #expect(samples.contains { $0.finishReason == .stop } && samples.contains { $0.finishReason == .length })
        for sample in samples {
            switch sample.finishReason {
            case .stop: #expect(Self.sampling.stopTokens.contains(sample.tokens.last!) && sample.tokens.count <= 10)
            case .length: #expect(sample.tokens.count == 10 && sample.tokens.allSatisfy { !Self.sampling.stopTokens.contains($0) })
            }
        }
    }

    @Test func resumedProblemsGetTheSamplesOfTheFullRun() async throws {
        let all = try await run(Self.prompts, batch: 4)
        let resumed = try await run(Array(Self.prompts.suffix(3).reversed()), batch: 5)
        #expect(Array(all.suffix(3)) == resumed.reversed())
        #expect(resumed.first?.samples.first?.seed == EvalSampler.sampleSeed(base: 2024, problemKey: "toy/6", sample: 0))
    }

    @Test func greedyWithSeveralSamplesGivesTheGeneratorsGreedyOutputEachTime() async throws {
        let greedy = SamplingParameters.greedy(maxNewTokens: 8, stopTokens: [0])
        let problems = try await run(Self.prompts, n: 4, batch: 3, parameters: greedy)
        let reference = try Generator(model: Self.model).generate(Self.prompts.map(\.tokens), parameters: greedy)
        for (problem, expected) in zip(problems, reference) {
            #expect(problem.samples.count == 4)
            #expect(problem.samples.allSatisfy { $0.tokens == expected.tokens && $0.finishReason == expected.finishReason })
        }
    }

    @Test func eachProblemIsReportedOnceAsSoonAsItsSamplesFinish() async throws {
        let log = Log()
        let returned = try await EvalSampler(model: Self.model, maxBatchSize: 2)
            .sample(Self.prompts, samplesPerProblem: 3, parameters: Self.sampling) { problem in await log.add(problem) }
        let reported = await log.problems
        #expect(reported.count == 6 && Set(reported.map(\.key)) == Set(Self.prompts.map(\.key)))
        #expect(reported.allSatisfy { $0.samples.count == 3 })
        #expect(returned == Self.prompts.map { p in reported.first { $0.key == p.key }! })
        // Two slots over 18 samples, problem-major: problem 1 is done long before problem 6 starts.
        #expect(reported.first?.key == "toy/1" || reported.first?.key == "toy/2")
    }

    @Test func cancellationStopsBetweenStepsWithCancellationError() async throws {
        let log = Log()
        let task = Task {
            try await EvalSampler(model: Self.model, maxBatchSize: 1).sample(Self.prompts, samplesPerProblem: 2, parameters: Self.sampling) {
                await log.add($0)
                withUnsafeCurrentTask { $0?.cancel() }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(await log.problems.count == 1)
    }

    @Test func badRequestsAreRefusedNamingTheProblem() async throws {
        let sampler = EvalSampler(model: Self.model, maxBatchSize: 4)
        await #expect(throws: EvalSamplerError.duplicateKey("toy/1")) {
            try await sampler.sample([Self.prompts[0], Self.prompts[0]], samplesPerProblem: 1, parameters: Self.sampling)
        }
        await #expect(throws: EvalSamplerError.promptTooLong(key: "long", promptTokens: 60, maxNewTokens: 10, positions: 64)) {
            try await sampler.sample([EvalPrompt(key: "long", tokens: Array(repeating: 3, count: 60))], samplesPerProblem: 1,
                                     parameters: Self.sampling)
        }
        await #expect(throws: EvalSamplerError.tokenOutOfRange(key: "bad", index: 1, id: 40, vocabularySize: 40)) {
            try await sampler.sample([EvalPrompt(key: "bad", tokens: [1, 40])], samplesPerProblem: 1, parameters: Self.sampling)
        }
        await #expect(throws: EvalSamplerError.invalidSetting(name: "samples per problem", value: 0)) {
            try await sampler.sample(Self.prompts, samplesPerProblem: 0, parameters: Self.sampling)
        }
    }
}

/// Problems in the order the callback saw them.
actor Log {
    var problems: [SampledProblem] = []
    func add(_ problem: SampledProblem) { problems.append(problem) }
}
