import Foundation
import SkyTensor
import Testing

@Suite struct LayerOpTests {
    let backend = BLASBackend(threads: 2)

    @Test func embeddingGathersRowsById() {
        let table = backend.tensor([0, 1, 10, 11, 20, 21], shape: [3, 2])
        let out = backend.zeros([3, 2])
        backend.embedding(out, ids: [2, 0, 2], table: table)
        #expect(backend.toArray(out) == [20, 21, 0, 1, 20, 21])
    }

    @Test func rmsNormMatchesDoublePrecisionFormula() {
        let rows = 300, c = 37  // enough rows to split across threads, a width that is not a multiple of 8
        let x = NaiveReference.random(rows * c, seed: 6), w = NaiveReference.random(c, seed: 7)
        let out = backend.zeros([rows, c])
        backend.rmsNorm(out, backend.tensor(x, shape: [rows, c]), weight: backend.tensor(w, shape: [c]), eps: 1e-6)
        #expect(NaiveReference.assertClose(backend.toArray(out), NaiveReference.rmsNorm(x, weight: w, eps: 1e-6)))
    }

    @Test func ropeRotatesPairsHalfADimensionApartInPlace() {
        // One head of dim 4 at position 1 with angles (θ0, θ1): pairs (x0, x2) and (x1, x3) rotate.
        let angles: [Float] = [0.5, 0.25]
        let cos = backend.tensor([1, 1] + angles.map { Foundation.cos($0) }, shape: [2, 2])
        let sin = backend.tensor([0, 0] + angles.map { Foundation.sin($0) }, shape: [2, 2])
        let x = backend.tensor([1, 2, 3, 4, 1, 2, 3, 4], shape: [2, 4])
        backend.rope(x, x, positions: [0, 1], cos: cos, sin: sin, headDim: 4)
        let got = backend.toArray(x)
        let c0 = Foundation.cos(angles[0]), s0 = Foundation.sin(angles[0]), c1 = Foundation.cos(angles[1]), s1 = Foundation.sin(angles[1])
        let expected: [Float] = [1, 2, 3, 4, 1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1]
        #expect(NaiveReference.assertClose(got, expected))
    }

    @Test func swigluIsSiluOfGateTimesUp() {
        let g: [Float] = [-2, 0, 1, 3], u: [Float] = [1, 2, 3, -1]
        let out = backend.zeros([1, 4])
        backend.swiglu(out, gate: backend.tensor(g, shape: [1, 4]), up: backend.tensor(u, shape: [1, 4]))
        let expected = zip(g, u).map { x, y in x / (1 + Foundation.exp(-x)) * y }
        #expect(NaiveReference.assertClose(backend.toArray(out), expected))
    }

    @Test func addMayWriteIntoItsFirstInput() {
        let a = backend.tensor([1, 2, 3], shape: [3]), b = backend.tensor([10, 20, 30], shape: [3])
        backend.add(a, a, b)
        #expect(backend.toArray(a) == [11, 22, 33])
    }

    @Test func threadCountPrefersSkySettingThenOpenBLAS() {
        #expect(ThreadCount.resolve(explicit: 3, environment: ["SKY_NUM_THREADS": "5"]) == 3)
        #expect(ThreadCount.resolve(environment: ["SKY_NUM_THREADS": "5", "OPENBLAS_NUM_THREADS": "2"]) == 5)
        #expect(ThreadCount.resolve(environment: ["OPENBLAS_NUM_THREADS": "2"]) == 2)
        #expect(ThreadCount.resolve(environment: ["SKY_NUM_THREADS": "zero"]) >= 1)
    }
}

extension LayerOpTests {
    /// The counter-based dropout mask keeps about 1 − p of the elements, scaled by 1/(1 − p), the same for a seed on
    /// every call and different for another seed.
    @Test func dropoutMasksKeepTheirShareAndRepeatPerSeed() {
        let a = backend.zeros([200, 500]), b = backend.zeros([200, 500]), c = backend.zeros([200, 500])
        backend.dropoutMask(a, probability: 0.2, seed: 7)
        backend.dropoutMask(b, probability: 0.2, seed: 7)
        backend.dropoutMask(c, probability: 0.2, seed: 8)
        let values = backend.toArray(a)
        #expect(values == backend.toArray(b) && values != backend.toArray(c))
        #expect(Set(values) == [0, 1.25])
        let kept = Double(values.filter { $0 > 0 }.count) / Double(values.count)
        // 100,000 draws: the share kept is within 0.01 of 0.8 (about 4 standard deviations).
        #expect(abs(kept - 0.8) < 0.01, "\(kept)")
    }
}
