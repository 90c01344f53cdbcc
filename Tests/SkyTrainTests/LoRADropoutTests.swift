import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// LoRA dropout: masks fixed by the seed, gradients through them, nothing dropped when evaluating.
@Suite struct LoRADropoutTests {
    @Test func adapterGradientsWithDropoutMatchCentralDifferencesOfTheSameMasks() throws {
        let tiny = TinyModel()
        let (_, weights) = tiny.parameters()
        let lora = LoRAConfig(rank: 2, alpha: 4, dropout: 0.5, targets: [.q, .down])
        let layout = ParameterLayout.lora(config: tiny.config, lora: lora)
        let values = NaiveReferenceRandom.uniform(layout.count, seed: 5)
        let params = tiny.backend.tensor(values, shape: [layout.count]), grads = layout.makeBuffer(backend: tiny.backend)
        let adapters = LoRAAdapters(viewing: params, layout: layout, config: tiny.config, lora: lora)
        let model = tiny.model, tokens = Double(TinyModel.batch.reduce(0) { $0 + $1.labelTokenCount })
        let loss = { model.lossSum(try model.forward(TinyModel.batch, weights: weights, adapters: adapters, dropoutSeed: 9)) / tokens }
        let activations = try model.forward(TinyModel.batch, weights: weights, adapters: adapters, dropoutSeed: 9)
        model.backward(activations, lossScale: Float(1 / tokens), weights: weights, gradients: nil, adapters: adapters,
                       adapterGradients: LoRAAdapters(viewing: grads, layout: layout, config: tiny.config, lora: lora))
        let analytic = tiny.backend.toArray(grads)
        let evaluated = model.lossSum(try model.forward(TinyModel.batch, weights: weights, adapters: adapters)) / tokens
        #expect(try abs(evaluated - loss()) > 1e-4)  // the masks change the loss; without a seed nothing is dropped
        // Float32 central differences of the same masked forward (the Float64 reference has no dropout), so
        // looser than the other checks, yet far tighter than the gradient that ignores the mask.
        for (e, entry) in layout.entries.enumerated() {
            for i in TinyModel.probes(entry, seed: UInt64(e)) {
                let view = layout.view(of: entry.name, in: params).reshaped([entry.count]).rows(i..<(i + 1))
                let saved = values[entry.offset + i], h: Float = 1e-2
                tiny.backend.fill(view, saved + h)
                let plus = try loss()
                tiny.backend.fill(view, saved - h)
                let minus = try loss()
                tiny.backend.fill(view, saved)
                let numerical = (plus - minus) / Double(2 * h), got = Double(analytic[entry.offset + i])
                #expect(abs(got - numerical) <= 2e-2 * abs(numerical) + 2e-4, "\(entry.name)[\(i)]: \(got) vs \(numerical)")
            }
        }
    }
}
