import Foundation
import SkyNumericsTestSupport
import SkyTensor
import Testing

@Suite struct AttentionOpTests {
    let backend = BLASBackend(threads: 2)

    @Test func causalSoftmaxZeroesFutureColumnsAndNormalisesThePast() {
        let x: [Float] = [1, 2, 3, 4, 5, 6]
        let out = backend.zeros([2, 3])
        backend.softmax(out, backend.tensor(x, shape: [2, 3]), causalOffset: 0)
        let got = backend.toArray(out)
        #expect(got[0] == 1 && got[1] == 0 && got[2] == 0)
        #expect(NaiveReference.assertClose(Array(got[3...]), NaiveReference.softmax([4, 5]) + [0]))
    }

    @Test func softmaxSurvivesLargeLogits() {
        let out = backend.zeros([1, 2])
        backend.softmax(out, backend.tensor([1000, 1000], shape: [1, 2]), causalOffset: nil)
        #expect(backend.toArray(out) == [0.5, 0.5])
    }

    @Test(arguments: [(3, 5), (1, 9), (130, 141)])  // decode, prefill after past keys, several query blocks
    func groupedQueryAttentionMatchesNaiveLoopsWithPastKeys(t: Int, s: Int) {
        let heads = 4, kvHeads = 2, hd = 8
        let q = NaiveReference.random(t * heads * hd, seed: 8)
        let k = NaiveReference.random(s * kvHeads * hd, seed: 9), v = NaiveReference.random(s * kvHeads * hd, seed: 10)
        let out = backend.zeros([t, heads * hd])
        backend.attention(out, q: backend.tensor(q, shape: [t, heads * hd]), k: backend.tensor(k, shape: [s, kvHeads * hd]),
                          v: backend.tensor(v, shape: [s, kvHeads * hd]), heads: heads, kvHeads: kvHeads, headDim: hd)
        // The reference in Float64. The backend's error (its products are sgemm, so kernel-dependent): each score is
        // a sum of hd products, off by δ ≤ γ_{hd+1}·Σ|q·k|/√hd; softmax turns that into a relative error of at most
        // 2δ + γ_{S+2} in each probability, and the weighted sum of S values adds γ_S, all against Σ p·|v|.
        var expected = [Float](repeating: 0, count: t * heads * hd), bounds = [Double](repeating: 0, count: t * heads * hd)
        let rootHd = Double(hd).squareRoot()
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            for i in 0..<t {
                let visible = s - t + i + 1
                let qRow = (0..<hd).map { Double(q[i * heads * hd + h * hd + $0]) }
                let kRows = (0..<visible).map { j in (0..<hd).map { Double(k[j * kvHeads * hd + g * hd + $0]) } }
                let scores = kRows.map { zip(qRow, $0).reduce(0) { $0 + $1.0 * $1.1 } / rootHd }
                let scoreError = Float32Bounds.gamma(hd + 1) * (kRows.map { zip(qRow, $0).reduce(0) { $0 + abs($1.0 * $1.1) } }.max() ?? 0) / rootHd
                let top = scores.max() ?? 0
                let weights = scores.map { Foundation.exp($0 - top) }
                let total = weights.reduce(0, +)
                let relative = 2 * scoreError + 2 * Float32Bounds.gamma(visible + 2)
                for d in 0..<hd {
                    let values = (0..<visible).map { Double(v[$0 * kvHeads * hd + g * hd + d]) }
                    let index = i * heads * hd + h * hd + d
                    expected[index] = Float(zip(weights, values).reduce(0) { $0 + $1.0 * $1.1 } / total)
                    bounds[index] = relative * zip(weights, values).reduce(0) { $0 + $1.0 * abs($1.1) } / total + Float32Bounds.unitRoundoff
                }
            }
        }
        let violation = Float32Bounds.violation(backend.toArray(out), expected, bounds: bounds)
        #expect(violation == nil, "\(violation ?? "")")
    }

    @Test func crossEntropyIsLogSumExpMinusTargetAndSkipsIgnoredRows() {
        let logits: [Float] = [1, 2, 3, 0, 0, 0]
        let losses = backend.zeros([2])
        backend.crossEntropy(losses, logits: backend.tensor(logits, shape: [2, 3]), targets: [2, -100])
        let expected = Float(Foundation.log(Foundation.exp(1.0) + Foundation.exp(2.0) + Foundation.exp(3.0)) - 3)
        #expect(NaiveReference.assertClose(backend.toArray(losses), [expected, 0]))
    }
}

@Suite struct VectorisedExpTests {
    let backend = BLASBackend(threads: 2)

    @Test func softmaxAgreesWithLibmAcrossTheFloatRange() {
        // Rows mixing tiny, huge and mid-range gaps from the max exercise every branch of the vector exp.
        var rng = SystemRandomNumberGenerator()
        let width = 203
        let rows = 50
        let x = (0..<(rows * width)).map { i in i % 17 == 0 ? Float(-100) : Float.random(in: -90...30, using: &rng) }
        let out = backend.zeros([rows, width])
        backend.softmax(out, backend.tensor(x, shape: [rows, width]), causalOffset: nil)
        let got = backend.toArray(out)
        for r in 0..<rows {
            let expected = NaiveReference.softmax(Array(x[(r * width)..<((r + 1) * width)]))
            for j in 0..<width {
                let e = expected[j], g = got[r * width + j]
                #expect(abs(g - e) <= 1e-6 * max(e, 1e-30) + 1e-37, "row \(r) col \(j): \(g) vs \(e)")
            }
        }
    }

    @Test func swigluAgreesWithLibmForLargeAndSmallGates() {
        let g: [Float] = [-100, -20, -5, -0.1, 0, 0.1, 5, 20, 100, -87.5, 89, 1]
        let u = [Float](repeating: 2, count: g.count)
        let out = backend.zeros([1, g.count])
        backend.swiglu(out, gate: backend.tensor(g, shape: [1, g.count]), up: backend.tensor(u, shape: [1, g.count]))
        let expected = g.map { Double($0) / (1 + Foundation.exp(-Double($0))) * 2 }
        for (got, e) in zip(backend.toArray(out), expected) {
            #expect(abs(Double(got) - e) <= 1e-6 * max(abs(e), 1e-30) + 1e-37, "\(got) vs \(e)")
        }
    }
}
