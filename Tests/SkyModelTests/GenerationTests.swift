import Foundation
import SkyModel
import Testing

@Suite struct GenerationTests {
    let fixture = ModelFixture(name: "qwen-tied")

    /// These tests compare whole greedy continuations, which holds on every kernel family only where no step is a near tie.
    @Test func theFixturesGreedyStepsAreAllDecidedBeyondFloat32sBound() throws {
        let model = try fixture.model()
        for c in try fixture.cases() {
            let (decided, problems) = try fixture.greedySteps(c, model: model)
            #expect(decided == c.greedy.count && problems.isEmpty, "\(decided) of \(c.greedy.count) steps decided; \(problems)")
        }
    }

    @Test func stopTokenEndsOnlyItsSequenceAndIsKept() throws {
        let cases = try fixture.cases()
        let stop = cases[0].greedy[3]
        let results = try Generator(model: try fixture.model()).generate(
            cases.map(\.ids), parameters: .greedy(maxNewTokens: 12, stopTokens: [stop]))
        #expect(results[0].tokens == Array(cases[0].greedy.prefix(through: cases[0].greedy.firstIndex(of: stop)!)))
        #expect(results[0].finishReason == .stop)
        for (result, c) in zip(results, cases) where !c.greedy.contains(stop) {
            #expect(result.tokens == c.greedy && result.finishReason == .length)
        }
    }

    @Test func seededSamplingRepeatsAndDoesNotDependOnBatching() throws {
        let generator = Generator(model: try fixture.model())
        let prompts = try fixture.cases().map(\.ids)
        let parameters = SamplingParameters(temperature: 1.0, topK: 50, topP: 0.95, seed: 1234, maxNewTokens: 10)
        let together = try generator.generate(prompts, parameters: parameters)
        #expect(try generator.generate(prompts, parameters: parameters) == together)
        let alone = try generator.generate([prompts[0]], parameters: parameters)
        #expect(alone[0] == together[0])
        var other = parameters
        other.seed = 99
        #expect(try generator.generate(prompts, parameters: other).map(\.tokens) != together.map(\.tokens))
    }

    @Test func topKOfOneIsGreedyAtAnyTemperature() throws {
        let c = try fixture.cases()[1]
        let result = try Generator(model: try fixture.model()).generate(
            [c.ids], parameters: SamplingParameters(temperature: 5, topK: 1, seed: 7, maxNewTokens: c.greedy.count))
        #expect(result[0].tokens == c.greedy)
    }

    @Test func streamingCallbackSeesEveryTokenInOrder() throws {
        let c = try fixture.cases()[0]
        nonisolated(unsafe) var seen: [Int32] = []
        _ = try Generator(model: try fixture.model()).generate([c.ids], parameters: .greedy(maxNewTokens: 5)) { _, token in seen.append(token) }
        #expect(seen == Array(c.greedy.prefix(5)))
    }

    @Test func badRequestsAreErrorsNotCrashes() throws {
        let model = try fixture.model()
        #expect(throws: ForwardError.tokenOutOfRange(id: 100_000, vocabularySize: model.config.vocabSize)) {
            try model.forward([([100_000], model.makeCache(capacity: 4))])
        }
        #expect(throws: ForwardError.contextFull(needed: 5, capacity: 4)) {
            try model.forward([([1, 2, 3, 4, 5], model.makeCache(capacity: 4))])
        }
        #expect(throws: ForwardError.emptyInput(sequence: 0)) { try model.forward([([], model.makeCache(capacity: 4))]) }
        let cache = model.makeCache(capacity: 4)
        #expect(throws: ForwardError.sharedCache(sequence: 1)) { try model.forward([([1], cache), ([2], cache)]) }
        #expect(cache.length == 0)
    }
}
