import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Gradient checkpointing recomputes each layer in the backward: the gradients must be the ones the kept
/// activations give, for full weights and for LoRA adapters behind dropout (whose masks must be redrawn alike).
@Suite struct GradientCheckpointingTests {
    /// Largest |a − b| / max(|b|, 1e-30 scale) over two gradient buffers, relative to b's largest magnitude.
    private func relativeDifference(_ a: [Float], _ b: [Float]) -> Double {
        let scale = Double(b.map { abs($0) }.max() ?? 0)
        let worst = zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0
        return scale == 0 ? worst : worst / scale
    }

    @Test func fullGradientsWithCheckpointingEqualThoseWithKeptActivations() throws {
        let tiny = TinyModel(tied: true)
        let (_, weights) = tiny.parameters()
        let model = tiny.model
        var results: [[Float]] = []
        for checkpointing in [false, true] {
            let grads = tiny.layout.makeBuffer(backend: tiny.backend)
            let a = try model.forward(TinyModel.batch, weights: weights, checkpointing: checkpointing)
            model.backward(a, lossScale: 0.1, weights: weights, gradients: ModelWeights(viewing: grads, layout: tiny.layout, config: tiny.config))
            results.append(tiny.backend.toArray(grads))
        }
        #expect(results[0].contains { $0 != 0 })
        #expect(relativeDifference(results[1], results[0]) <= 1e-6)
    }

    @Test func loraGradientsBehindDropoutWithCheckpointingEqualThoseWithKeptActivations() throws {
        let tiny = TinyModel()
        let (_, weights) = tiny.parameters()
        let lora = LoRAConfig(rank: 2, alpha: 4, dropout: 0.3)
        let layout = ParameterLayout.lora(config: tiny.config, lora: lora)
        let params = tiny.backend.tensor(NaiveReferenceRandom.uniform(layout.count, seed: 3), shape: [layout.count])
        let adapters = LoRAAdapters(viewing: params, layout: layout, config: tiny.config, lora: lora)
        let model = tiny.model
        var results: [[Float]] = []
        for checkpointing in [false, true] {
            let grads = layout.makeBuffer(backend: tiny.backend)
            let a = try model.forward(TinyModel.batch, weights: weights, adapters: adapters, dropoutSeed: 11, checkpointing: checkpointing)
            model.backward(a, lossScale: 0.1, weights: weights, gradients: nil, adapters: adapters,
                           adapterGradients: LoRAAdapters(viewing: grads, layout: layout, config: tiny.config, lora: lora))
            results.append(tiny.backend.toArray(grads))
        }
        #expect(results[0].contains { $0 != 0 })
        #expect(relativeDifference(results[1], results[0]) <= 1e-6)
    }

    @Test func trainerStepsWithCheckpointingMatchStepsWithout() throws {
        let tiny = TinyModel()
        var losses: [[Double]] = [], finals: [[Float]] = []
        for checkpointing in [false, true] {
            let options = TrainerOptions(adamW: AdamWHyper(lr: 1e-2), schedule: LRSchedule(.constant, totalSteps: 3),
                                         gradientCheckpointing: checkpointing)
            let (_, weights) = tiny.parameters()
            var trainer = Trainer(config: tiny.config, weights: weights, mode: .full, options: options, backend: tiny.backend, maxPositions: 16)
            losses.append(try (0..<3).map { _ in try trainer.step([TinyModel.batch]).loss })
            finals.append(tiny.backend.toArray(trainer.parameters))
        }
        #expect(losses[0] == losses[1])
        #expect(finals[0] == finals[1])
    }
}
