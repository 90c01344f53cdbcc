import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Whole optimizer steps: the loss falls, LoRA leaves the base alone, accumulation equals one big batch.
@Suite struct TrainerTests {
    static let options = TrainerOptions(adamW: AdamWHyper(lr: 0.01, weightDecay: 0.01), schedule: LRSchedule(.constant, totalSteps: 5))

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2))])
    func lossFallsOverAFewSteps(mode: TrainingMode) {
        let tiny = TinyModel()
        var trainer = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: mode, options: Self.options,
                              backend: tiny.backend, maxPositions: 16)
        let losses = (0..<5).map { _ in trainer.step([TinyModel.batch]).loss }
        #expect(losses.last! < losses.first! - 0.01, "\(losses)")
    }

    @Test func loraStartsFromTheBaseModelAndNeverChangesIt() {
        let tiny = TinyModel()
        let (buffer, weights) = tiny.parameters()
        let baseLoss = tiny.model.lossSum(tiny.model.forward(TinyModel.batch, weights: weights))
            / Double(TinyModel.batch.reduce(0) { $0 + $1.labelTokenCount })
        var trainer = Trainer(config: tiny.config, weights: weights, mode: .lora(LoRAConfig(rank: 2)), options: Self.options,
                              backend: tiny.backend, maxPositions: 16)
        let first = trainer.step([TinyModel.batch])
        #expect(abs(first.loss - baseLoss) < 1e-6)  // B = 0: the adapted model is the base model
        _ = trainer.step([TinyModel.batch])
        #expect(tiny.backend.toArray(buffer) == tiny.values)
    }

    @Test func accumulatedMicroBatchesTakeTheSameStepAsOneBatch() {
        let tiny = TinyModel()
        var one = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .full, options: Self.options,
                          backend: tiny.backend, maxPositions: 16)
        var accumulated = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .full, options: Self.options,
                                  backend: tiny.backend, maxPositions: 16)
        let a = one.step([TinyModel.batch]), b = accumulated.step(TinyModel.batch.map { [$0] })
        #expect(abs(a.loss - b.loss) < 1e-6 && abs(a.gradNorm - b.gradNorm) < 1e-5 * a.gradNorm && a.labelTokens == b.labelTokens)
        let x = tiny.backend.toArray(one.parameters), y = tiny.backend.toArray(accumulated.parameters)
        #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-6 })
    }
}
