import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import SkyTrain
import Testing

/// The training forward against the inference forward and a Float64 reference, and the whole-model
/// backward against central differences of that reference, for probes in every parameter tensor.
@Suite struct ModelGradientTests {
    @Test(arguments: [(ModelConfig.ModelType.qwen2, false), (.qwen2, true), (.llama, false)])
    func trainingForwardMatchesInferenceAndTheFloat64Reference(type: ModelConfig.ModelType, tied: Bool) throws {
        let tiny = TinyModel(type: type, tied: tied)
        let (_, weights) = tiny.parameters()
        let activations = try tiny.model.forward(TinyModel.batch, weights: weights)
        let inference = CausalLM(config: tiny.config, weights: weights, backend: tiny.backend, maxPositions: 16)
        let first = TinyModel.batch[0].inputIds
        let logits = try inference.forward([(first, inference.makeCache(capacity: 16))], allLogits: true)
        let trained = tiny.backend.toArray(activations.logits.rows(0..<first.count))
        // Two float32 forwards of other shapes (a batch against one sequence): each within the forward's bound.
        let tolerance = 2 * TinyModel.forwardBound * Float32Bounds.scale(trained)
        let difference = Float32Bounds.largestDifference(trained, tiny.backend.toArray(logits))
        #expect(difference <= tolerance, "logits differ by \(difference), more than \(tolerance)")
        // The mean loss moves by at most what its logits do; the Float64 reference's own error is negligible.
        let mean = tiny.model.lossSum(activations) / Double(activations.labelTokenCount)
        let reference = NaiveModel(config: tiny.config).meanLoss(TinyModel.named(tiny.layout, tiny.values), batch: TinyModel.batch)
        let allLogits = tiny.backend.toArray(activations.logits)
        #expect(abs(mean - reference) <= 2 * TinyModel.forwardBound * Float32Bounds.scale(allLogits), "\(mean) vs \(reference)")
    }

    @Test(arguments: [(ModelConfig.ModelType.qwen2, false), (.qwen2, true), (.llama, false)])
    func fullModelBackwardMatchesCentralDifferences(type: ModelConfig.ModelType, tied: Bool) throws {
        let tiny = TinyModel(type: type, tied: tied)
        let (_, weights) = tiny.parameters()
        let grads = tiny.layout.makeBuffer(backend: tiny.backend)
        let activations = try tiny.model.forward(TinyModel.batch, weights: weights)
        tiny.model.backward(activations, lossScale: 1 / Float(activations.labelTokenCount), weights: weights,
                            gradients: ModelWeights(viewing: grads, layout: tiny.layout, config: tiny.config))
        let analytic = tiny.backend.toArray(grads)
        let reference = NaiveModel(config: tiny.config), named = TinyModel.named(tiny.layout, tiny.values)
        var checked = 0
        for (e, entry) in tiny.layout.entries.enumerated() {
            for i in TinyModel.probes(entry, seed: UInt64(e)) {
                let numerical = TinyModel.centralDifference(named, entry.name, i) { reference.meanLoss($0, batch: TinyModel.batch) }
                let got = analytic[entry.offset + i]
                #expect(TinyModel.agrees(got, numerical), "\(entry.name)[\(i)]: backward \(got), central difference \(numerical)")
                checked += 1
            }
        }
        #expect(checked >= 3 * tiny.layout.entries.count)
    }

    @Test func accumulatingMicroBatchesScaledByAllTheirLabelTokensEqualsOneBatch() throws {
        let tiny = TinyModel()
        let (_, weights) = tiny.parameters()
        let total = Float(TinyModel.batch.reduce(0) { $0 + $1.labelTokenCount })
        let whole = tiny.layout.makeBuffer(backend: tiny.backend), split = tiny.layout.makeBuffer(backend: tiny.backend)
        let model = tiny.model
        model.backward(try model.forward(TinyModel.batch, weights: weights), lossScale: 1 / total, weights: weights,
                       gradients: ModelWeights(viewing: whole, layout: tiny.layout, config: tiny.config))
        for sequence in TinyModel.batch {
            model.backward(try model.forward([sequence], weights: weights), lossScale: 1 / total, weights: weights,
                           gradients: ModelWeights(viewing: split, layout: tiny.layout, config: tiny.config))
        }
        let a = tiny.backend.toArray(whole), b = tiny.backend.toArray(split)
        // Equal up to float32 summation order (the whole batch sums rows in one product, the split in two).
        let scale = Float32Bounds.scale(a), worst = Float32Bounds.largestDifference(a, b)
        #expect(scale > 0.01 && worst <= 2 * TinyModel.backwardBound * scale, "worst difference \(worst) against largest gradient \(scale)")
    }
}
