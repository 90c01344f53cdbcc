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
}
