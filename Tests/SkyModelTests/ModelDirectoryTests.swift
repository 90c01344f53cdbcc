import Foundation
import SkyModel
import SkyTensor
import Testing

@Suite struct ModelDirectoryTests {
    let backend = BLASBackend(threads: 2)

    static let tinyLlama = ModelConfig(
        modelType: .llama, vocabSize: 40, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 4,
        numKeyValueHeads: 2, rmsNormEps: 1e-5, ropeTheta: 500_000,
        ropeScaling: Llama3RopeScaling(factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositionEmbeddings: 64),
        maxPositionEmbeddings: 64, bosTokenId: 1, eosTokenIds: [2, 3])

    @Test(arguments: [(tinyLlama, false), (PrefillBenchmark.config25M.shrunk, true)])
    func randomModelWrittenAndReloadedGivesTheSameLogits(config: ModelConfig, tied: Bool) throws {
        var config = config
        config.tieWordEmbeddings = tied
        let weights = try ModelWeights.random(config: config, seed: 9, std: 0.3, backend: backend)
        let model = CausalLM(config: config, weights: weights, backend: backend)
        let folder = try FixtureFiles.temporaryDirectory()
        try ModelDirectory.write(config: config, weights: weights, backend: backend, to: folder)
        let reloaded = try CausalLM.load(directory: folder, backend: backend)
        #expect(reloaded.config == config)
        let ids: [Int32] = [1, 5, 9, 30, 2]
        let a = backend.toArray(try model.forward([(ids, model.makeCache(capacity: 8))], allLogits: true))
        let b = backend.toArray(try reloaded.forward([(ids, reloaded.makeCache(capacity: 8))], allLogits: true))
        #expect(a == b)
        #expect(Set(a).count > a.count / 2, "random weights should give varied logits")
    }

    @Test func sameSeedGivesSameWeightsAndOtherSeedsDiffer() throws {
        let a = try ModelWeights.random(config: Self.tinyLlama, seed: 1, backend: backend)
        let b = try ModelWeights.random(config: Self.tinyLlama, seed: 1, backend: backend)
        let c = try ModelWeights.random(config: Self.tinyLlama, seed: 2, backend: backend)
        #expect(backend.toArray(a.layers[1].q) == backend.toArray(b.layers[1].q))
        #expect(backend.toArray(a.layers[1].q) != backend.toArray(c.layers[1].q))
        let values = backend.toArray(a.embedding)
        let std = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
        #expect(abs(std - 0.02) < 0.003)
    }

    @Test func prefillBenchmarkCountsFlopsAndRuns() throws {
        let config = PrefillBenchmark.config25M.shrunk
        let model = CausalLM(config: config, weights: try ModelWeights.random(config: config, seed: 1, backend: backend), backend: backend)
        let result = try PrefillBenchmark.prefill(model: model, tokens: 16, repeats: 1)
        #expect(result.flops == PrefillBenchmark.prefillFlops(config: config, tokens: 16) && result.seconds > 0)
        // The benchmark model really has about 25M parameters.
        let big = PrefillBenchmark.config25M
        let perLayer = 2 * big.hiddenSize * big.hiddenSize + 2 * big.hiddenSize * 128 + 3 * big.hiddenSize * big.intermediateSize
        let params = big.vocabSize * big.hiddenSize + big.numHiddenLayers * perLayer
        #expect((20_000_000...30_000_000).contains(params))
    }
}

extension ModelConfig {
    /// The benchmark architecture scaled down so debug-build tests stay fast.
    var shrunk: ModelConfig {
        var c = self
        c.vocabSize = 50
        c.hiddenSize = 32
        c.intermediateSize = 48
        c.numHiddenLayers = 2
        c.headDim = 4
        c.maxPositionEmbeddings = 32
        return c
    }
}

@Suite struct ModelInitTests {
    @Test func trainedTokenizerAndRandomModelMakeAWorkingDirectory() throws {
        let backend = BLASBackend(threads: 2)
        let tokenizerJSON = try BPETrainer(vocabularySize: 300).train(BPETrainerTests.corpus)
        let tokenizer = try Tokenizer(data: tokenizerJSON)
        let eos = try #require(tokenizer.id(of: "<|im_end|>"))
        let config = ModelConfig(modelType: .qwen2, vocabSize: tokenizer.vocabularySize, hiddenSize: 32, intermediateSize: 48,
                                 numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, tieWordEmbeddings: true,
                                 maxPositionEmbeddings: 128, bosTokenId: Int(try #require(tokenizer.id(of: "<|endoftext|>"))), eosTokenIds: [Int(eos)])
        let folder = try FixtureFiles.temporaryDirectory()
        try ModelDirectory.write(config: config, weights: try ModelWeights.random(config: config, seed: 1, std: 0.5, backend: backend),
                                 backend: backend, to: folder)
        try ModelDirectory.writeTokenizer(tokenizerJSON, to: folder)

        let model = try CausalLM.load(directory: folder, backend: backend)
        let loaded = try Tokenizer(contentsOf: folder)
        let prompt = loaded.encodeChat([.user("What is 2 + 2?")], template: .chatML, addGenerationPrompt: true).ids
        let result = try Generator(model: model).generate([prompt], parameters: .greedy(maxNewTokens: 8, stopTokens: [eos]))
        #expect(!result[0].tokens.isEmpty && result[0].tokens.allSatisfy { Int($0) < config.vocabSize })
        _ = loaded.decode(result[0].tokens)
        let tokenizerConfig = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("tokenizer_config.json"))) as? [String: Any]
        #expect((tokenizerConfig?["chat_template"] as? String)?.contains("{% generation %}") == true)
    }
}
