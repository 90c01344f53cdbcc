import SkyNumericsTestSupport
import SkyTensor
import Testing

@Suite struct MatmulTests {
    let backend = BLASBackend(threads: 2)

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulMatchesNaiveProductForEveryTransposeCombination(transposeA: Bool, transposeB: Bool) {
        let m = 5, k = 7, n = 3
        let a = NaiveReference.random(m * k, seed: 1), b = NaiveReference.random(k * n, seed: 2)
        let expected = NaiveReference.matmul(a, b, m: m, k: k, n: n)
        let ta = backend.tensor(transposeA ? NaiveReference.transpose(a, rows: m, cols: k) : a, shape: transposeA ? [k, m] : [m, k])
        let tb = backend.tensor(transposeB ? NaiveReference.transpose(b, rows: k, cols: n) : b, shape: transposeB ? [n, k] : [k, n])
        let out = backend.zeros([m, n])
        backend.matmul(out, ta, tb, transposeA: transposeA, transposeB: transposeB)
        // The reference sums in Float64 and rounds once; the backend's error is within γ_{k+2}·(|A|·|B|).
        let violation = Float32Bounds.violation(backend.toArray(out), expected, bounds: Float32Bounds.product(a, b, m: m, k: k, n: n), factor: 2)
        #expect(violation == nil, "\(violation ?? "")")
    }

    @Test func matmulWithBetaAccumulatesIntoOutput() {
        let a = backend.tensor([1, 2], shape: [1, 2]), b = backend.tensor([3, 4], shape: [2, 1])
        let out = backend.tensor([10], shape: [1, 1])
        backend.matmul(out, a, b, transposeA: false, transposeB: false, alpha: 2, beta: 1)
        #expect(backend.toArray(out) == [32])
    }

    /// One row takes the sgemv path (decode), several the sgemm path; both with and without bias.
    @Test(arguments: [1, 4], [true, false])
    func linearMultipliesByTransposedWeightAndAddsBias(n: Int, withBias: Bool) {
        let c = 6, oc = 5
        let x = NaiveReference.random(n * c, seed: 3), w = NaiveReference.random(oc * c, seed: 4), bias = NaiveReference.random(oc, seed: 5)
        var expected = NaiveReference.matmul(x, NaiveReference.transpose(w, rows: oc, cols: c), m: n, k: c, n: oc)
        if withBias { for i in 0..<n { for j in 0..<oc { expected[i * oc + j] += bias[j] } } }
        let out = backend.tensor(Array(repeating: 99, count: n * oc), shape: [n, oc])  // stale values must be overwritten
        backend.linear(out, backend.tensor(x, shape: [n, c]), backend.tensor(w, shape: [oc, c]),
                       bias: withBias ? backend.tensor(bias, shape: [oc]) : nil)
        let bounds = Float32Bounds.product(x, NaiveReference.transpose(w, rows: oc, cols: c), m: n, k: c, n: oc, beta: withBias ? 1 : 0,
                                           accumulator: withBias ? (0..<n).flatMap { _ in bias } : nil)
        let violation = Float32Bounds.violation(backend.toArray(out), expected, bounds: bounds, factor: 2)
        #expect(violation == nil, "\(violation ?? "")")
    }

    @Test func rowViewsWriteIntoTheirParentStorage() {
        let parent = backend.zeros([3, 2])
        backend.copy(parent.rows(1..<2), backend.tensor([7, 8], shape: [1, 2]))
        #expect(backend.toArray(parent) == [0, 0, 7, 8, 0, 0])
    }
}
