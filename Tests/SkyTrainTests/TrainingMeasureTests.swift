import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// The bench's accounting: FLOPs per step, the memory the shapes call for, and the resettable peak.
@Suite struct TrainingMeasureTests {
    private let config = ModelPreset.named("25m")!.config(modelType: .qwen2, vocabularySize: 8192)

    @Test func fullStepFlopsAreSixTimesTheMatmulWeightsPerTokenPlusCausalAttention() {
        let tokens = 2048, s = 512
        let flops = TrainingFlops.step(config: config, mode: .full, tokens: tokens, sequenceLength: s)
        // Tied: every parameter enters one product (the embedding table as the LM head), so P is the parameter count.
        #expect(TrainingFlops.matmulParameters(config: config) == Double(config.parameterCount))
        let attention = 6.0 * 8 * Double(tokens) * Double(s + 1) * 512
        #expect(abs(flops - (6 * Double(config.parameterCount) * Double(tokens) + attention)) <= 1e-9 * flops)
    }

    @Test func loraStepFlopsSitBetweenTwoThirdsAndAllOfFull() {
        let full = TrainingFlops.step(config: config, mode: .full, tokens: 512, sequenceLength: 512)
        let lora = TrainingFlops.step(config: config, mode: .lora(LoRAConfig(rank: 8)), tokens: 512, sequenceLength: 512)
        #expect(lora > 2.0 / 3 * full && lora < full)
    }

    @Test func memoryEstimateCountsFourBuffersForFullAndShrinksWithCheckpointing() {
        let kept = TrainingMemoryEstimate(config: config, mode: .full, tokens: 2048, checkpointing: false)
        let recomputed = TrainingMemoryEstimate(config: config, mode: .full, tokens: 2048, checkpointing: true)
        let bytes = Dictionary(uniqueKeysWithValues: kept.terms.map { ($0.name, $0.bytes) })
        #expect(bytes["weights"] == 4 * config.parameterCount && bytes["gradients"] == 4 * config.parameterCount)
        #expect(bytes["AdamW m and v"] == 8 * config.parameterCount)
        #expect(kept.totalBytes == kept.terms.reduce(0) { $0 + $1.bytes })
        #expect(recomputed.totalBytes < kept.totalBytes)
        let lora = TrainingMemoryEstimate(config: config, mode: .lora(LoRAConfig(rank: 8)), tokens: 2048, checkpointing: false)
        #expect(lora.terms.first?.bytes == 4 * config.parameterCount && lora.totalBytes < kept.totalBytes)
    }

    #if os(Linux)
    @Test func peakResetsToTheCurrentResidentSetAndThenRisesWithTouchedMemory() throws {
        #expect(PeakMemory.reset())
        let before = try #require(PeakMemory.read())
        #expect(before.peak - before.current < 16 << 20)
        let count = 64 << 20
        let block = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        defer { block.deallocate() }
        block.initialize(repeating: 1, count: count)
        let after = try #require(PeakMemory.read())
        #expect(after.peak >= before.current + count - (4 << 20))
    }
    #endif
}
