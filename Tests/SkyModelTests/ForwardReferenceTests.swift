import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// The forward pass against transformers' float32 logits for tiny random Qwen2 and Llama models.
@Suite struct ForwardReferenceTests {
    static let fixtures = ModelFixture.names.map { ModelFixture(name: $0) }

    @Test(arguments: fixtures)
    func prefillLogitsMatchTransformersWithinFloat32sBound(_ fixture: ModelFixture) throws {
        let model = try fixture.model()
        let cases = try fixture.cases()
        #expect(cases.count == 4)
        for c in cases {
            let logits = try model.forward([(c.ids, model.makeCache(capacity: 64))], allLogits: true)
            #expect(logits.shape == [c.ids.count, model.config.vocabSize])
            let tolerance = ModelFixture.tolerance(model.config, positions: c.ids.count)
            let disagreement = ModelFixture.disagreement(model.backend.toArray(logits), c.logits, tolerance: tolerance)
            #expect(disagreement == nil, "\(disagreement ?? "")")
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
        let disagreement = ModelFixture.disagreement(rows, c.logits, tolerance: ModelFixture.tolerance(model.config, positions: c.ids.count))
        #expect(disagreement == nil, "\(disagreement ?? "")")
    }

    @Test(arguments: fixtures)
    func greedyContinuationsEqualTransformersGenerate(_ fixture: ModelFixture) throws {
        let model = try fixture.model()
        let generator = Generator(model: model)
        var decidedSteps = 0, steps = 0
        for c in try fixture.cases() {
            let (decided, problems) = try fixture.greedySteps(c, model: model)
            #expect(problems.isEmpty, "\(problems)")
            let result = try generator.generate([c.ids], parameters: .greedy(maxNewTokens: c.greedy.count))
            #expect(result[0].tokens.prefix(decided) == c.greedy.prefix(decided))
            #expect(result[0].finishReason == .length)
            decidedSteps += decided
            steps += c.greedy.count
        }
        // Near ties are rare: most steps are compared token for token.
        #expect(decidedSteps * 4 >= steps * 3, "only \(decidedSteps) of \(steps) greedy steps are decided beyond float32's bound")
    }

    @Test(arguments: fixtures)
    func batchedGreedyDecodingEqualsEachPromptAlone(_ fixture: ModelFixture) throws {
        let cases = try fixture.cases()
        let model = try fixture.model()
        let generator = Generator(model: model)
        let results = try generator.generate(cases.map(\.ids), parameters: .greedy(maxNewTokens: 12))
        for (result, c) in zip(results, cases) {
            let decided = try fixture.greedySteps(c, model: model).decided
            let alone = try generator.generate([c.ids], parameters: .greedy(maxNewTokens: 12))[0]
            #expect(result.tokens.prefix(decided) == c.greedy.prefix(decided) && result.tokens.prefix(decided) == alone.tokens.prefix(decided))
        }
    }
}
