import Foundation
import SkyCUDAFake
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// The tiny Hugging Face models on the CUDA backend over the fake driver: prefill logits against transformers',
/// decoding through the KV cache, and greedy generation against transformers' continuations.
///
/// This checks the CUDA backend's orchestration through the real inference path (weights uploaded, cache views,
/// ids in and logits out), not the kernels' arithmetic on a GPU: the fake runs CPU references of the kernels.
@Suite struct CUDAFakeGenerationTests {
    static let fixtures = ModelFixture.names.map { ModelFixture(name: $0) }

    @Test(arguments: fixtures)
    func logitsAndGreedyGenerationMatchTransformers(_ fixture: ModelFixture) throws {
        let driver = FakeCUDADriver()
        let model = try fixture.model(backend: try CUDABackend(driver: driver))
        #expect(model.backend.name == "cuda")
        for c in try fixture.cases() {
            let logits = try model.forward([(c.ids, model.makeCache(capacity: 64))], allLogits: true)
            let tolerance = ModelFixture.tolerance(model.config, positions: c.ids.count)
            let disagreement = ModelFixture.disagreement(model.backend.toArray(logits), c.logits, tolerance: tolerance)
            #expect(disagreement == nil, "\(fixture): \(disagreement ?? "")")
            let (decided, problems) = try fixture.greedySteps(c, model: model)
            #expect(problems.isEmpty, "\(fixture): \(problems)")
            let generated = try Generator(model: model).generate([c.ids], parameters: .greedy(maxNewTokens: c.greedy.count))
            #expect(Array(generated[0].tokens.prefix(decided)) == Array(c.greedy.prefix(decided)), "\(fixture): \(generated[0].tokens) vs \(c.greedy)")
        }
        #expect(driver.problems.isEmpty, "\(driver.problems)")
    }

    /// A decode step's only host traffic is the token and its position in and the chosen id out: the logits stay on the
    /// device (argmax there), and so do the weights and the KV cache. Counts the copies the backend asks the driver for.
    @Test func aDecodeStepMovesOneIdInAndOneIdOut() throws {
        let driver = FakeCUDADriver()
        let model = try ModelFixture(name: "qwen-tied").model(backend: try CUDABackend(driver: driver))
        let cache = model.makeCache(capacity: 32)
        var next = model.backend.argmax(try model.forward([([1, 2, 3], cache)]))[0]
        let uploads = driver.uploads, downloads = driver.downloads
        for _ in 0..<5 { next = model.backend.argmax(try model.forward([([next], cache)]))[0] }
        // The position changes every step; the id only when the model picks another token (a slot holding the same
        // bytes is not written again), so between one and two uploads a step.
        #expect((5...10).contains(driver.uploads - uploads), "\(driver.uploads - uploads) uploads in 5 steps")
        #expect(driver.downloads - downloads == 5, "\(driver.downloads - downloads) downloads in 5 steps")
        #expect(driver.problems.isEmpty, "\(driver.problems)")
    }

    /// `skyctl bench model --backend cuda`'s measurements run on the device backend: every figure is finite and positive,
    /// and the decode bound counts bf16 matrices at 2 bytes. The fake's timings mean nothing; the wiring is what is checked.
    @Test func deviceModelBenchmarkRunsOnTheCUDABackend() throws {
        let driver = FakeCUDADriver()
        let cuda = try CUDABackend(driver: driver)
        let config = ModelPreset.named("tiny")!.config(modelType: .qwen2, vocabularySize: 256)
        let weights = try ModelWeights.random(config: config, seed: 1, backend: cuda).withBFloat16Matrices(backend: cuda)
        let model = CausalLM(config: config, weights: weights, backend: cuda, maxPositions: 32)
        let round = try DeviceModelBenchmark.round(model: model, tokens: 8, decodeSteps: 3, bandwidthMegabytes: 1)
        for figure in [round.productGflops, round.prefillGflops, round.bandwidthBytesPerSecond, round.decodeTokensPerSecond] {
            #expect(figure.isFinite && figure > 0, "\(round)")
        }
        #expect(DeviceModelBenchmark.bytesPerToken(model: model, position: 17)
                == DecodeBenchmark.bytesPerToken(config: config, position: 17, bytesPerWeight: 2))
        #expect(driver.problems.isEmpty, "\(driver.problems)")
    }
}
