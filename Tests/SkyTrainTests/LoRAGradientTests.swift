import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// LoRA's backward against central differences of the Float64 model with merged weights W + s·B·A.
@Suite struct LoRAGradientTests {
    static let cases: [(targets: Set<LoRATarget>, rsLoRA: Bool)] = [([.q, .v, .o, .down], false), (Set(LoRATarget.allCases), true)]

    @Test(arguments: cases)
    func adapterGradientsMatchCentralDifferencesOfTheMergedModel(targets: Set<LoRATarget>, rsLoRA: Bool) throws {
        let tiny = TinyModel()
        let (_, weights) = tiny.parameters()
        let lora = LoRAConfig(rank: 2, alpha: 3, targets: targets, useRSLoRA: rsLoRA)
        let layout = ParameterLayout.lora(config: tiny.config, lora: lora)
        // Random B as well as A: from PEFT's B = 0 start, A's gradient would be zero and prove nothing.
        let values = NaiveReferenceRandom.uniform(layout.count, seed: 3)
        let params = tiny.backend.tensor(values, shape: [layout.count]), grads = layout.makeBuffer(backend: tiny.backend)
        let adapters = LoRAAdapters(viewing: params, layout: layout, config: tiny.config, lora: lora)
        let activations = try tiny.model.forward(TinyModel.batch, weights: weights, adapters: adapters)
        tiny.model.backward(activations, lossScale: 1 / Float(activations.labelTokenCount), weights: weights, gradients: nil,
                            adapters: adapters,
                            adapterGradients: LoRAAdapters(viewing: grads, layout: layout, config: tiny.config, lora: lora))
        let analytic = tiny.backend.toArray(grads)
        let base = TinyModel.named(tiny.layout, tiny.values), reference = NaiveModel(config: tiny.config)
        let loss = { (adapter: [String: [Double]]) in
            reference.meanLoss(Self.merged(base, adapter, config: tiny.config, lora: lora), batch: TinyModel.batch)
        }
        let named = TinyModel.named(layout, values)
        for (e, entry) in layout.entries.enumerated() {
            for i in TinyModel.probes(entry, seed: UInt64(e)) {
                let numerical = TinyModel.centralDifference(named, entry.name, i, loss)
                let got = analytic[entry.offset + i]
                #expect(TinyModel.agrees(got, numerical), "\(entry.name)[\(i)]: backward \(got), central difference \(numerical)")
            }
        }
    }

    @Test func peftInitialisationBoundsAAndZeroesB() {
        let tiny = TinyModel()
        let lora = LoRAConfig(rank: 4)
        let layout = ParameterLayout.lora(config: tiny.config, lora: lora)
        let params = layout.makeBuffer(backend: tiny.backend)
        LoRAAdapters(viewing: params, layout: layout, config: tiny.config, lora: lora).initialize(seed: 7, backend: tiny.backend)
        let values = tiny.backend.toArray(params)
        for entry in layout.entries {
            let v = values[entry.offset..<(entry.offset + entry.count)]
            if entry.name.hasSuffix("lora_B.weight") {
                #expect(v.allSatisfy { $0 == 0 })
            } else {
                let bound = 1 / Float(entry.shape[1]).squareRoot()
                #expect(v.allSatisfy { abs($0) <= bound } && Set(v).count == v.count)
                #expect(v.map(abs).max()! > 0.7 * bound)  // spread over the whole range, not squeezed
            }
        }
        // Every projection of every layer: r·(in + out) each.
        let expected = tiny.config.numHiddenLayers * LoRATarget.allCases.reduce(0) {
            let (i, o) = $1.dimensions(config: tiny.config)
            return $0 + 4 * (i + o)
        }
        #expect(layout.count == expected)
        #expect(layout.entries.first?.name == "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight")
        #expect(lora.scaling == 2 && LoRAConfig(rank: 4, alpha: 8, useRSLoRA: true).scaling == 4)
    }

    /// base with W + s·B·A for every adapter in `adapter`.
    static func merged(_ base: [String: [Double]], _ adapter: [String: [Double]], config: ModelConfig, lora: LoRAConfig) -> [String: [Double]] {
        var out = base
        let s = Double(lora.scaling), r = lora.rank
        for layer in 0..<config.numHiddenLayers {
            for target in lora.targets {
                let prefix = target.peftPrefix(layer: layer)
                let name = "model.layers.\(layer).\(target.modulePath).weight"
                let (input, output) = target.dimensions(config: config)
                let a = adapter[prefix + "lora_A.weight"]!, b = adapter[prefix + "lora_B.weight"]!
                for o in 0..<output {
                    for i in 0..<input {
                        out[name]![o * input + i] += s * (0..<r).reduce(0.0) { $0 + b[o * r + $1] * a[$1 * input + i] }
                    }
                }
            }
        }
        return out
    }
}
