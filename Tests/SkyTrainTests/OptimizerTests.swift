import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// AdamW against torch.optim.AdamW's update written out in Float64, decay groups, and clipping.
@Suite struct OptimizerTests {
    let backend = BLASBackend(threads: 1)

    @Test func adamWFollowsTorchsFormulaOverSeveralSteps() {
        let hyper = AdamWHyper(lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1)
        var p: [Double] = [0.5, -1, 2, 0], m = [Double](repeating: 0, count: 4), v = m
        let params = backend.tensor(p.map(Float.init), shape: [4]), mt = backend.zeros([4]), vt = backend.zeros([4])
        for step in 1...3 {
            let g: [Double] = [0.1 * Double(step), -0.3, 0.02, 1]
            backend.adamW(params, mt, vt, grads: backend.tensor(g.map(Float.init), shape: [4]), hyper: hyper, step: step)
            for i in 0..<4 {
                // torch: p ← p·(1 − lr·λ); m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²;
                // p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
                p[i] *= 1 - 0.01 * 0.1
                m[i] = 0.8 * m[i] + 0.2 * g[i]
                v[i] = 0.95 * v[i] + 0.05 * g[i] * g[i]
                let denom = v[i].squareRoot() / (1 - Foundation.pow(0.95, Double(step))).squareRoot() + 1e-6
                p[i] -= 0.01 / (1 - Foundation.pow(0.8, Double(step))) * m[i] / denom
            }
        }
        #expect(zip(backend.toArray(params), p).allSatisfy { abs(Double($0) - $1) < 1e-6 })
    }

    @Test func weightDecaySparesNormsAndBiases() {
        let config = TinyModel().config
        let layout = ParameterLayout.full(config: config)
        let params = layout.makeBuffer(backend: backend)
        backend.fill(params, 1)
        var adam = AdamW(layout: layout, hyper: AdamWHyper(lr: 0.1, weightDecay: 0.5), backend: backend)
        adam.update(params: params, grads: layout.makeBuffer(backend: backend), lr: 0.1)  // zero gradients: only decay moves
        let values = backend.toArray(params)
        for entry in layout.entries {
            let expected: Float = entry.name.hasSuffix("norm.weight") || entry.name.hasSuffix(".bias") ? 1 : 0.95
            #expect(values[entry.offset] == expected, "\(entry.name)")
        }
        #expect(layout.entries.contains { $0.name.hasSuffix("q_proj.bias") && !$0.decays })
    }

    @Test func clippingScalesToTheMaximumNormOnlyWhenAbove() {
        let grads = backend.tensor([3, 4], shape: [2])
        #expect(GradientClipping.clip(grads, maxNorm: 1, backend: backend) == 5)
        #expect(zip(backend.toArray(grads), [0.6, 0.8]).allSatisfy { abs($0 - $1) < 1e-6 })
        let small = backend.tensor([0.3, 0.4], shape: [2])
        #expect(abs(GradientClipping.clip(small, maxNorm: 1, backend: backend) - 0.5) < 1e-7)
        #expect(backend.toArray(small) == [0.3, 0.4])
    }
}
