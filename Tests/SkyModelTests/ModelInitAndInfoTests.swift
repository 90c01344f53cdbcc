import Foundation
import SkyModel
import SkyTensor
import Testing

/// What `skyctl model init`, `info` and `generate` rely on, without the CLI around them.
@Suite struct ModelInitAndInfoTests {
    let backend = BLASBackend(threads: 2)

    func initialized(_ type: ModelConfig.ModelType = .qwen2, seed: UInt64 = 5, dtype: SafetensorsDType = .f32) throws -> URL {
        let folder = try FixtureFiles.temporaryDirectory()
        let tokenizerJSON = try BPETrainer(vocabularySize: 300).train(BPETrainerTests.corpus)
        try ModelDirectory.initialize(preset: try #require(ModelPreset.named("tiny")), modelType: type, tokenizerJSON: tokenizerJSON,
                                      seed: seed, dtype: dtype, to: folder, backend: backend)
        return folder
    }

    @Test(arguments: [ModelConfig.ModelType.qwen2, .llama])
    func initOutputLoadsAndGeneratesDeterministically(type: ModelConfig.ModelType) throws {
        let folder = try initialized(type)
        let (model, tokenizer) = try ModelDirectory.load(folder, backend: backend)
        #expect(model.config.modelType == type && model.config.vocabSize == tokenizer.vocabularySize)
        #expect(model.config.eosTokenIds == [Int(try #require(tokenizer.id(of: "<|im_end|>")))])
        let prompt = tokenizer.encodeChat([.user("What is 2 + 2?")], addGenerationPrompt: true).ids
        let parameters = SamplingParameters(temperature: 0.9, topK: 50, topP: 0.95, seed: 11, maxNewTokens: 12)
        let first = try Generator(model: model).generate([prompt], parameters: parameters)
        let (again, _) = try ModelDirectory.load(folder, backend: backend)
        let second = try Generator(model: again).generate([prompt], parameters: parameters)
        #expect(first == second && !first[0].tokens.isEmpty)
    }

    @Test func sameSeedWritesTheSameWeightsAndOtherSeedsDiffer() throws {
        let a = try SafetensorsFile(path: try initialized(seed: 1).appendingPathComponent("model.safetensors").path)
        let b = try SafetensorsFile(path: try initialized(seed: 1).appendingPathComponent("model.safetensors").path)
        let c = try SafetensorsFile(path: try initialized(seed: 2).appendingPathComponent("model.safetensors").path)
        let name = "model.layers.1.mlp.up_proj.weight"
        #expect(try a.floats(name) == b.floats(name))
        #expect(try a.floats(name) != c.floats(name))
    }

    @Test func summaryReportsSizesDTypeAndSpecialTokens() throws {
        let folder = try initialized(dtype: .bf16)
        let summary = try ModelSummary(directory: folder)
        #expect(summary.parameterCount == summary.config.parameterCount)
        #expect(summary.parametersByDType == ["BF16": summary.parameterCount])
        #expect(summary.tokenizerVocabularySize == 300)
        #expect(summary.specialTokens.map(\.text) == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
        #expect(summary.lines.contains { $0.hasPrefix("architecture: qwen2") })
        #expect(summary.jsonObject["parameters"] as? Int == summary.parameterCount)
    }

    @Test func badDirectoriesNameThePathAndTheProblem() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("sky-no-such-model-\(UUID().uuidString)")
        #expect(throws: ModelDirectoryError.notFound(path: missing.path)) { try ModelSummary(directory: missing) }
        let empty = try FixtureFiles.temporaryDirectory()
        #expect(throws: ModelDirectoryError.notAModelDirectory(path: empty.path)) { try ModelSummary(directory: empty) }

        let folder = try initialized()
        let config = folder.appendingPathComponent("config.json")
        try Data(#"{"model_type": "qwen2", "num_attention_heads": 4, "hidden_size": "wide"}"#.utf8).write(to: config)
        do {
            _ = try ModelSummary(directory: folder)
            Issue.record("a malformed config.json was accepted")
        } catch let error as ModelDirectoryError {
            #expect("\(error)".contains(config.path) && "\(error)".contains("hidden_size"))
        }
        #expect(throws: ModelDirectoryError.self) { try ModelDirectory.load(folder, backend: backend) }
    }
}
