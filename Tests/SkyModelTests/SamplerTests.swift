import Foundation
import SkyModel
import Testing

@Suite struct SamplerTests {
    @Test func argmaxTakesTheFirstOfEqualMaxima() {
        #expect(Sampler.argmax([1, 5, 5, 2][...]) == 1)
    }

    @Test func topKKeepsTiesWithTheKthLargest() {
        let p = Sampler.filteredProbabilities([1, 3, 3, 2, 0], parameters: SamplingParameters(temperature: 1, topK: 2))
        #expect(p[0] == 0 && p[3] == 0 && p[4] == 0)
        #expect(abs(p[1] - 0.5) < 1e-6 && abs(p[2] - 0.5) < 1e-6)
    }

    @Test func topPKeepsTheSmallestSetReachingTheMass() {
        // Probabilities 0.5, 0.3, 0.2: p = 0.7 needs the two largest; p = 0.4 keeps only the largest.
        let logits: [Float] = [0.5, 0.3, 0.2].map { Foundation.log(Float($0)) }
        let two = Sampler.filteredProbabilities(logits, parameters: SamplingParameters(temperature: 1, topP: 0.7))
        #expect(two[2] == 0 && abs(two[0] - 0.625) < 1e-5)
        let one = Sampler.filteredProbabilities(logits, parameters: SamplingParameters(temperature: 1, topP: 0.4))
        #expect(one == [1, 0, 0])
    }

    @Test func samplingFollowsTheDistribution() {
        var rng = SeededGenerator(seed: 5)
        let logits: [Float] = [0.75, 0.25].map { Foundation.log(Float($0)) }
        let draws = (0..<4000).map { _ in Sampler.sample(logits[...], parameters: SamplingParameters(temperature: 1), rng: &rng) }
        let share = Double(draws.filter { $0 == 0 }.count) / 4000
        #expect(abs(share - 0.75) < 0.03)
    }
}
