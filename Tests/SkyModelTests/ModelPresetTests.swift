import SkyModel
import SkyTensor
import Testing

@Suite struct ModelPresetTests {
    let backend = BLASBackend(threads: 2)

    @Test(arguments: [ModelConfig.ModelType.qwen2, .llama], [true, false])
    func parameterShapesMatchTheWeightsTheLoaderBuilds(type: ModelConfig.ModelType, tied: Bool) throws {
        var config = try #require(ModelPreset.named("tiny")).config(modelType: type, vocabularySize: 37)
        config.tieWordEmbeddings = tied
        let weights = try ModelWeights.random(config: config, seed: 3, backend: backend)
        let built = weights.namedTensors(config: config).map { "\($0.name) \($0.tensor.shape)" }
        #expect(config.parameterShapes().map { "\($0.name) \($0.shape)" } == built)
        #expect(config.parameterCount == weights.parameterCount(config: config))
    }

    @Test func qwenPresetHasQwen25HalfBillionParameterCount() throws {
        let config = try #require(ModelPreset.named("qwen2.5-0.5b")).config(modelType: .qwen2, vocabularySize: 151_936)
        // sum(p.numel()) of Qwen/Qwen2.5-0.5B in transformers.
        #expect(config.parameterCount == 494_032_768)
        #expect(config.headDim == 64 && config.tieWordEmbeddings)
    }

    @Test func benchPresetIsTheBenchmarkModel() throws {
        let preset = try #require(ModelPreset.named("25M"))
        let config = preset.config(modelType: .qwen2, vocabularySize: 8192)
        var bench = PrefillBenchmark.config25M
        bench.rmsNormEps = config.rmsNormEps
        #expect(config == bench)
        #expect((25_000_000...28_000_000).contains(config.parameterCount))
    }

    @Test func presetsHaveDistinctNamesAndDescribeTheirSizes() {
        #expect(Set(ModelPreset.all.map(\.name)).count == ModelPreset.all.count)
        #expect(ModelPreset.named("huge") == nil)
        let tiny = ModelPreset.all[0]
        #expect(tiny.summary.contains("C=64") && tiny.summary.contains("L=2"))
        for preset in ModelPreset.all { #expect(throws: Never.self) { try preset.config(modelType: .llama, vocabularySize: 300).validate() } }
    }

    @Test func parameterCountsFormatWithSuffixes() {
        #expect(ParameterCountFormat.short(999) == "999")
        #expect(ParameterCountFormat.short(26_750_464) == "26.8M")
        #expect(ParameterCountFormat.short(494_032_768) == "494M")
        #expect(ParameterCountFormat.short(1_500) == "1.5K")
    }
}
