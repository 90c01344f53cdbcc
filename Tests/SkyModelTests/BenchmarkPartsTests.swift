import Foundation
import SkyModel
import SkyTensor
import Testing

/// The pieces of `skyctl bench model` that can be checked without timing anything.
@Suite struct BenchmarkPartsTests {
    let backend = BLASBackend(threads: 2)

    @Test func randomCheckpointLoadsWithTheIntendedStatistics() throws {
        let config = PrefillBenchmark.config25M.shrunk
        let folder = try FixtureFiles.temporaryDirectory()
        try RandomCheckpoint.write(config: config, to: folder, dtype: .bf16, seed: 3, std: 0.02)
        let model = try CausalLM.load(directory: folder, backend: backend)
        #expect(model.config == config)
        #expect(backend.toArray(model.weights.layers[0].inputNorm).allSatisfy { $0 == 1 })
        #expect(backend.toArray(try #require(model.weights.layers[1].qBias)).allSatisfy { $0 == 0 })
        let values = backend.toArray(model.weights.embedding)
        let std = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
        #expect(abs(std - 0.02) < 0.002)
        #expect(try ModelSummary(directory: folder).parametersByDType == ["BF16": config.parameterCount])
    }

    @Test func decodeBytesCountEveryWeightOnceAndTheCache() {
        var config = PrefillBenchmark.config25M
        let kv = 2 * config.numHiddenLayers * 10 * config.numKeyValueHeads * config.headDim
        #expect(DecodeBenchmark.bytesPerToken(config: config, position: 10) == Double(4 * (config.parameterCount + kv)))
        config.tieWordEmbeddings = false  // the untied embedding table is only looked up, lm_head read whole
        let untied = config.parameterCount - config.vocabSize * config.hiddenSize
        #expect(DecodeBenchmark.bytesPerToken(config: config, position: 10) == Double(4 * (untied + kv)))
    }

    @Test func decodeBenchmarkRunsTheRequestedSteps() throws {
        let config = PrefillBenchmark.config25M.shrunk
        let model = CausalLM(config: config, weights: try ModelWeights.random(config: config, seed: 1, backend: backend), backend: backend)
        #expect(try DecodeBenchmark.decodeSeconds(model: model, prompt: 4, steps: 3) > 0)
    }

    @Test func bandwidthProbeGivesAFinitePositiveRate() {
        let rate = MemoryBandwidthProbe.measure(megabytes: 8, threads: 2, repeats: 1)
        // Only sanity: debug builds run the SIMD loop unoptimised, far below real bandwidth.
        #expect(rate.isFinite && rate > 1e6)
    }

    @Test func residentMemoryParsesProcStatus() {
        let status = "Name:\tskyctl\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t3\n"
        #expect(ResidentMemory.parse(status) == ResidentMemory(current: 100 << 20, peak: 200 << 20))
        #expect(ResidentMemory.parse("Name:\tx\n") == nil)
        #if os(Linux)
        #expect((ResidentMemory.read()?.current ?? 0) > 0)
        #endif
    }
}
