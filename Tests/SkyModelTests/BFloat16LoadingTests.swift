import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// A bf16 checkpoint loaded with its matrices kept as bf16 (read in place from the mapped file) computes what the
/// float32 load computes, within float32's bound.
@Suite struct BFloat16LoadingTests {
    @Test func bf16MatricesGiveTheFloat32LoadsLogitsAndGreedyTokens() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-bf16-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = ModelPreset.named("tiny")!.config(modelType: .qwen2, vocabularySize: 512)
        try RandomCheckpoint.write(config: config, to: directory, dtype: .bf16, seed: 3, std: 0.1)
        let backend = BLASBackend(threads: 2)
        let wide = try CausalLM.load(directory: directory, backend: backend, maxPositions: 64)
        let narrow = try CausalLM.load(directory: directory, backend: backend, maxPositions: 64, matrices: .bfloat16)
        #expect(narrow.weights.layers[0].q.dtype == .bfloat16 && narrow.weights.embedding.dtype == .bfloat16)
        #expect(narrow.weights.layers[0].inputNorm.dtype == .float32 && wide.weights.layers[0].q.dtype == .float32)
        let prompt: [Int32] = (0..<20).map { Int32(($0 * 37) % 512) }
        let a = backend.toArray(try wide.forward([(prompt, wide.makeCache(capacity: 64))], allLogits: true))
        let b = backend.toArray(try narrow.forward([(prompt, narrow.makeCache(capacity: 64))], allLogits: true))
        let bound = ModelFixture.tolerance(config, positions: prompt.count) * Float32Bounds.scale(a)
        #expect(Float32Bounds.largestDifference(a, b) <= bound)
        let greedy = SamplingParameters.greedy(maxNewTokens: 16)
        let wideTokens = try Generator(model: wide).generate([prompt], parameters: greedy)[0].tokens
        let narrowTokens = try Generator(model: narrow).generate([prompt], parameters: greedy)[0].tokens
        // Equal up to the first near tie of the float32 run (past it, last bits decide).
        let decided = try ModelFixture.decidedSteps(model: wide, prompt: prompt, tokens: wideTokens)
        #expect(Array(narrowTokens.prefix(decided)) == Array(wideTokens.prefix(decided)), "\(narrowTokens) vs \(wideTokens)")
        #expect(decided > 0)
    }
}
