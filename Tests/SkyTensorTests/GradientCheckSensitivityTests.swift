import Foundation
import SkyTensor
import Testing

/// The gradient checks would fail a broken backward: these feed the checker gradients with the classic
/// mistakes (a transposed product, a dropped term, a flipped sign) and expect it to reject every one.
@Suite struct GradientCheckSensitivityTests {
    let backend = BLASBackend(threads: 2)
    typealias Check = GradientCheck

    @Test func aTransposedWeightGradientFailsTheLinearCheck() {
        // Square weight, so the transposed gradient has the right shape and only the numbers can tell.
        let n = 3, c = 4
        let x = NaiveReference.random(n * c, seed: 40), w = NaiveReference.random(c * c, seed: 41), dout = NaiveReference.random(n * c, seed: 42)
        let dw = backend.zeros([c, c])
        backend.linearBackward(nil, dw, nil, dout: backend.tensor(dout, shape: [n, c]), input: backend.tensor(x, shape: [n, c]),
                               weight: backend.tensor(w, shape: [c, c]))
        let numerical = Check.numerical([x, w].map(Check.double), wrt: 1, dout: Check.double(dout)) {
            DoubleReference.linear($0[0], $0[1], nil, n: n, c: c, oc: c)
        }
        let good = backend.toArray(dw), transposed = NaiveReference.transpose(good, rows: c, cols: c)
        #expect(Check.relativeError(good, numerical) < Check.tolerance)
        #expect(Check.relativeError(transposed, numerical) > 100 * Check.tolerance)
    }

    @Test func dropingTheNormTermOrFlippingRopeFailsTheirChecks() {
        let n = 2, c = 6, eps: Float = 1e-5
        let x = NaiveReference.random(n * c, seed: 43), w = NaiveReference.random(c, seed: 44), dout = NaiveReference.random(n * c, seed: 45)
        let numerical = Check.numerical([x, w].map(Check.double), wrt: 0, dout: Check.double(dout)) {
            DoubleReference.rmsNorm($0[0], $0[1], eps: Double(eps))
        }
        // The backward without the gradient through 1/rms: dx = r · dout · w.
        var missingTerm = [Float](repeating: 0, count: n * c)
        for r in 0..<n {
            let row = x[(r * c)..<(r * c + c)]
            let inv = 1 / (row.reduce(0) { $0 + $1 * $1 } / Float(c) + eps).squareRoot()
            for i in 0..<c { missingTerm[r * c + i] = inv * dout[r * c + i] * w[i] }
        }
        #expect(Check.relativeError(missingTerm, numerical) > 100 * Check.tolerance)

        // RoPE backward applying the forward rotation instead of its transpose (the sin sign flipped).
        let angles: [Float] = [0.7, -1.3], hd = 4
        let cosT = backend.tensor(angles.map { Foundation.cos($0) }, shape: [1, 2]), sinT = backend.tensor(angles.map { Foundation.sin($0) }, shape: [1, 2])
        let g = NaiveReference.random(hd, seed: 46), z = NaiveReference.random(hd, seed: 47)
        let wrong = backend.zeros([1, hd])
        backend.rope(wrong, backend.tensor(g, shape: [1, hd]), positions: [0], cos: cosT, sin: sinT, headDim: hd)
        let ropeNumerical = Check.numerical([Check.double(z)], wrt: 0, dout: Check.double(g)) {
            DoubleReference.rope($0[0], positions: [0], cos: angles.map { Foundation.cos(Double($0)) },
                                 sin: angles.map { Foundation.sin(Double($0)) }, width: hd, headDim: hd)
        }
        #expect(Check.relativeError(backend.toArray(wrong), ropeNumerical) > 100 * Check.tolerance)
    }
}
