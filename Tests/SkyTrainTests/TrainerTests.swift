import Foundation
import SkyModel
import SkyNumericsTestSupport
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
        let logits = tiny.backend.toArray(try tiny.model.forward(TinyModel.batch, weights: tiny.parameters().weights).logits)
        let a = try one.step([TinyModel.batch]), b = try accumulated.step(TinyModel.batch.map { [$0] })
        // One batch and two micro-batches run products of other shapes: equal within float32's bounds, not to the bit.
        // The loss moves by at most what the logits do; the gradients by the backward's bound of the largest one.
        #expect(abs(a.loss - b.loss) <= 2 * TinyModel.forwardBound * Float32Bounds.scale(logits), "\(a.loss) vs \(b.loss)")
        let gradients = tiny.backend.toArray(one.gradients), otherGradients = tiny.backend.toArray(accumulated.gradients)
        let gradientTolerance = 2 * TinyModel.backwardBound * Float32Bounds.scale(gradients)
        #expect(Float32Bounds.largestDifference(gradients, otherGradients) <= gradientTolerance)
        #expect(abs(Double(a.gradNorm - b.gradNorm)) <= gradientTolerance * Double(gradients.count).squareRoot())
        #expect(a.labelTokens == b.labelTokens)
        // AdamW's first step moves θ by lr·g/(|g| + ε) (m̂ = g, v̂ = g²) besides the same decay, so a gradient off by Δ
        // moves it by at most lr·ε·Δ/(|g|·(|g| − Δ)), plus θ's own rounding; a gradient within Δ of 0 may flip sign.
        let x = tiny.backend.toArray(one.parameters), y = tiny.backend.toArray(accumulated.parameters)
        #expect(gradients.filter { abs(Double($0)) > 10 * gradientTolerance }.count > gradients.count / 2, "the bound is tight for most")
        let lr = Double(Self.options.adamW.lr), eps = Double(Self.options.adamW.eps)
        for (i, g) in gradients.enumerated() {
            let magnitude = abs(Double(g))
            let tolerance = magnitude > gradientTolerance
                ? lr * eps * gradientTolerance / (magnitude * (magnitude - gradientTolerance)) + 4 * Float32Bounds.unitRoundoff * (abs(Double(x[i])) + lr)
                : 2 * lr
            #expect(abs(Double(x[i]) - Double(y[i])) <= tolerance, "parameter \(i): \(x[i]) vs \(y[i]), gradient \(g)")
        }
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
