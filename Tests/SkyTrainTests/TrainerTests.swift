import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Whole optimizer steps: the loss falls, LoRA leaves the base alone, accumulation equals one big batch.
@Suite struct TrainerTests {
    static let options = TrainerOptions(adamW: AdamWHyper(lr: 0.01, weightDecay: 0.01), schedule: LRSchedule(.constant, totalSteps: 5))

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2))])
    func lossFallsOverAFewSteps(mode: TrainingMode) throws {
        let tiny = TinyModel()
        var trainer = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: mode, options: Self.options,
                              backend: tiny.backend, maxPositions: 16)
        let losses = try (0..<5).map { _ in try trainer.step([TinyModel.batch]).loss }
        #expect(losses.last! < losses.first! - 0.01, "\(losses)")
    }

    @Test func loraStartsFromTheBaseModelAndNeverChangesIt() throws {
        let tiny = TinyModel()
        let (buffer, weights) = tiny.parameters()
        let baseLoss = tiny.model.lossSum(try tiny.model.forward(TinyModel.batch, weights: weights))
            / Double(TinyModel.batch.reduce(0) { $0 + $1.labelTokenCount })
        var trainer = Trainer(config: tiny.config, weights: weights, mode: .lora(LoRAConfig(rank: 2)), options: Self.options,
                              backend: tiny.backend, maxPositions: 16)
        let first = try trainer.step([TinyModel.batch])
        #expect(abs(first.loss - baseLoss) < 1e-6)  // B = 0: the adapted model is the base model
        _ = try trainer.step([TinyModel.batch])
        #expect(tiny.backend.toArray(buffer) == tiny.values)
    }

    @Test func accumulatedMicroBatchesTakeTheSameStepAsOneBatch() throws {
        let tiny = TinyModel()
        var one = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .full, options: Self.options,
                          backend: tiny.backend, maxPositions: 16)
        var accumulated = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .full, options: Self.options,
                                  backend: tiny.backend, maxPositions: 16)
        let a = try one.step([TinyModel.batch]), b = try accumulated.step(TinyModel.batch.map { [$0] })
        #expect(abs(a.loss - b.loss) < 1e-6 && abs(a.gradNorm - b.gradNorm) < 1e-5 * a.gradNorm && a.labelTokens == b.labelTokens)
        let x = tiny.backend.toArray(one.parameters), y = tiny.backend.toArray(accumulated.parameters)
        #expect(zip(x, y).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func badSequencesAreErrorsAndLeaveTheParametersAlone() throws {
        let tiny = TinyModel()
        var trainer = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .full, options: Self.options,
                              backend: tiny.backend, maxPositions: 16)
        let before = tiny.backend.toArray(trainer.parameters)
        #expect(throws: ForwardError.tokenOutOfRange(id: 99, vocabularySize: 11)) {
            try trainer.step([TinyModel.batch, [TrainingSequence(inputIds: [1, 99])]])
        }
        #expect(throws: ForwardError.tokenOutOfRange(id: 11, vocabularySize: 11)) {
            try trainer.step([[TrainingSequence(inputIds: [1, 2], labels: [-100, 11])]])
        }
        #expect(throws: ForwardError.emptyInput(sequence: 0)) { try trainer.step([[TrainingSequence(inputIds: [])]]) }
        #expect(throws: ForwardError.contextFull(needed: 17, capacity: 16)) {
            try trainer.step([[TrainingSequence(inputIds: Array(repeating: 1, count: 17))]])
        }
        #expect(tiny.backend.toArray(trainer.parameters) == before)
        #expect(trainer.optimizer.step == 0)
    }
}
