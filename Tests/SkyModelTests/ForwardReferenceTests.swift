import Foundation
import SkyModel
import SkyTensor
import Testing

/// The forward pass against transformers' float32 logits for tiny random Qwen2 and Llama models.
@Suite struct ForwardReferenceTests {
    static let fixtures = ModelFixture.names.map { ModelFixture(name: $0) }

    @Test(arguments: fixtures)
    func prefillLogitsMatchTransformersWithinOneInTenThousand(_ fixture: ModelFixture) throws {
        let model = try fixture.model()
        let cases = try fixture.cases()
        #expect(cases.count == 4)
        for c in cases {
            let logits = try model.forward([(c.ids, model.makeCache(capacity: 64))], allLogits: true)
            #expect(logits.shape == [c.ids.count, model.config.vocabSize])
            let error = ModelFixture.worstRelativeError(model.backend.toArray(logits), c.logits)
            #expect(error < 1e-4, "worst relative error \(error)")
        }
    }

    @Test(arguments: fixtures)
    func decodingTokenByTokenThroughTheCacheGivesThePrefillLogits(_ fixture: ModelFixture) throws {
        let model = try fixture.model()
        let c = try #require(try fixture.cases().max { $0.ids.count < $1.ids.count })
        let cache = model.makeCache(capacity: 64)
        let split = c.ids.count / 2
        var rows = model.backend.toArray(try model.forward([(Array(c.ids[..<split]), cache)], allLogits: true))
        for token in c.ids[split...] { rows += model.backend.toArray(try model.forward([([token], cache)])) }
        #expect(cache.length == c.ids.count)
        #expect(ModelFixture.worstRelativeError(rows, c.logits) < 1e-4)
    }

    @Test(arguments: fixtures)
    func greedyContinuationsEqualTransformersGenerate(_ fixture: ModelFixture) throws {
        let generator = Generator(model: try fixture.model())
        for c in try fixture.cases() {
            let result = try generator.generate([c.ids], parameters: .greedy(maxNewTokens: c.greedy.count))
            #expect(result[0].tokens == c.greedy)
            #expect(result[0].finishReason == .length)
        }
    }

    @Test(arguments: fixtures)
    func batchedGreedyDecodingEqualsEachPromptAlone(_ fixture: ModelFixture) throws {
        let cases = try fixture.cases()
        let results = try Generator(model: try fixture.model()).generate(cases.map(\.ids), parameters: .greedy(maxNewTokens: 12))
        #expect(results.map(\.tokens) == cases.map(\.greedy))
    }
}
