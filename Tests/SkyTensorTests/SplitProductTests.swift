import SkyNumericsTestSupport
import SkyTensor
import Testing

/// Products large enough to be split over threads give what the naive loops and one thread give.
@Suite struct SplitProductTests {
    let one = BLASBackend(threads: 1)
    let four = BLASBackend(threads: 4)

    @Test func theBackendKeepsOpenBLASOnOneThread() {
        _ = BLASBackend(threads: 8)
        #expect(BLASBackend.libraryThreads == 1)
    }

    /// 300 × 200 × 64 is 3.8M multiply-adds: three pieces along the 300 rows.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func splitMatmulMatchesNaiveProductAndAccumulates(transposeA: Bool, transposeB: Bool) {
        let m = 300, k = 64, n = 200
        let a = NaiveReference.random(m * k, seed: 31), b = NaiveReference.random(k * n, seed: 32)
        let start = NaiveReference.random(m * n, seed: 33)
        let product = NaiveReference.matmul(a, b, m: m, k: k, n: n)
        let expected = zip(product, start).map { 0.5 * $0 + $1 }
        let ta = four.tensor(transposeA ? NaiveReference.transpose(a, rows: m, cols: k) : a, shape: transposeA ? [k, m] : [m, k])
        let tb = four.tensor(transposeB ? NaiveReference.transpose(b, rows: k, cols: n) : b, shape: transposeB ? [n, k] : [k, n])
        let out = four.tensor(start, shape: [m, n])
        four.matmul(out, ta, tb, transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 1)
        // The naive product is summed in double, so only the backend's rounding counts (once), plus the reference's own.
        let bounds = Float32Bounds.product(a, b, m: m, k: k, n: n, alpha: 0.5, beta: 1, accumulator: start)
        let violation = Float32Bounds.violation(four.toArray(out), expected, bounds: bounds, factor: 2)
        #expect(violation == nil, "\(violation ?? "")")
    }

    /// 64 × 900 × 80: the column side is longer, so pieces take columns of the output. Each piece is another sgemm,
    /// whose kernels may block and sum differently from the whole product's (they do on OpenBLAS's Zen kernels),
    /// so the two agree within float32's bound for 80-term sums, not to the bit.
    @Test func splitAlongColumnsMatchesOneThread() {
        let m = 64, k = 80, n = 900
        let a = NaiveReference.random(m * k, seed: 34), b = NaiveReference.random(n * k, seed: 35)
        var results: [[Float]] = []
        for backend in [one, four] {
            let out = backend.zeros([m, n])
            backend.matmul(out, backend.tensor(a, shape: [m, k]), backend.tensor(b, shape: [n, k]), transposeA: false, transposeB: true)
            results.append(backend.toArray(out))
        }
        let bounds = Float32Bounds.product(a, NaiveReference.transpose(b, rows: n, cols: k), m: m, k: k, n: n)
        let violation = Float32Bounds.violation(results[1], results[0], bounds: bounds, factor: 2)
        #expect(violation == nil, "\(violation ?? "")")
        // Both are also within the bound of the exact product: agreeing with each other is not enough.
        let exact = NaiveReference.matmul(a, NaiveReference.transpose(b, rows: n, cols: k), m: m, k: k, n: n)
        #expect(Float32Bounds.violation(results[0], exact, bounds: bounds, factor: 2) == nil)
    }

    /// One row of 1000 × 300 goes to sgemv in four pieces of the weight's rows, bias added once.
    @Test func splitDecodeLinearMatchesNaiveProduct() {
        let c = 300, oc = 1000
        let x = NaiveReference.random(c, seed: 36), w = NaiveReference.random(oc * c, seed: 37), bias = NaiveReference.random(oc, seed: 38)
        let wT = NaiveReference.transpose(w, rows: oc, cols: c)
        let product = NaiveReference.matmul(x, wT, m: 1, k: c, n: oc)
        let out = four.tensor(Array(repeating: 99, count: oc), shape: [1, oc])
        four.linear(out, four.tensor(x, shape: [1, c]), four.tensor(w, shape: [oc, c]), bias: four.tensor(bias, shape: [oc]))
        let bounds = Float32Bounds.product(x, wT, m: 1, k: c, n: oc, beta: 1, accumulator: bias)
        let violation = Float32Bounds.violation(four.toArray(out), zip(product, bias).map { $0 + $1 }, bounds: bounds, factor: 2)
        #expect(violation == nil, "\(violation ?? "")")
    }

    /// The training products: dinput (N, C) and dweight (OC, C) add into existing gradients on any thread count.
    @Test func splitLinearBackwardAddsTheSameGradientsAsOneThread() {
        let rows = 256, c = 96, oc = 160
        let input = NaiveReference.random(rows * c, seed: 39), weight = NaiveReference.random(oc * c, seed: 40)
        let dout = NaiveReference.random(rows * oc, seed: 41)
        let dinputStart = NaiveReference.random(rows * c, seed: 42), dweightStart = NaiveReference.random(oc * c, seed: 43)
        var results: [([Float], [Float])] = []
        for backend in [one, four] {
            let dinput = backend.tensor(dinputStart, shape: [rows, c]), dweight = backend.tensor(dweightStart, shape: [oc, c])
            backend.linearBackward(dinput, dweight, nil, dout: backend.tensor(dout, shape: [rows, oc]),
                                   input: backend.tensor(input, shape: [rows, c]), weight: backend.tensor(weight, shape: [oc, c]))
            results.append((backend.toArray(dinput), backend.toArray(dweight)))
        }
        // dinput = start + dout · weight (sums of OC terms); dweight = start + doutᵀ · input (sums of N terms).
        let doutT = NaiveReference.transpose(dout, rows: rows, cols: oc)
        let dinputBounds = Float32Bounds.product(dout, weight, m: rows, k: oc, n: c, beta: 1, accumulator: dinputStart)
        let dweightBounds = Float32Bounds.product(doutT, input, m: oc, k: rows, n: c, beta: 1, accumulator: dweightStart)
        let expectedDinput = zip(NaiveReference.matmul(dout, weight, m: rows, k: oc, n: c), dinputStart).map { $0 + $1 }
        let expectedDweight = zip(NaiveReference.matmul(doutT, input, m: oc, k: rows, n: c), dweightStart).map { $0 + $1 }
        for (got, expected, bounds) in [(results[1].0, expectedDinput, dinputBounds), (results[1].1, expectedDweight, dweightBounds)] {
            let violation = Float32Bounds.violation(got, expected, bounds: bounds, factor: 2)
            #expect(violation == nil, "against the exact sums: \(violation ?? "")")
        }
        for (index, bounds) in [dinputBounds, dweightBounds].enumerated() {
            let (four, one) = index == 0 ? (results[1].0, results[0].0) : (results[1].1, results[0].1)
            let violation = Float32Bounds.violation(four, one, bounds: bounds, factor: 2)
            #expect(violation == nil, "four threads against one: \(violation ?? "")")
        }
    }

    /// 256 queries in two blocks over two key/value heads: four units in the forward, two in the backward.
    @Test func attentionAndItsBackwardGiveIdenticalResultsOnOneAndFourThreads() {
        let t = 256, heads = 4, kvHeads = 2, hd = 16
        let q = NaiveReference.random(t * heads * hd, seed: 44), k = NaiveReference.random(t * kvHeads * hd, seed: 45)
        let v = NaiveReference.random(t * kvHeads * hd, seed: 46), dout = NaiveReference.random(t * heads * hd, seed: 47)
        var results: [[Float]] = []
        for backend in [one, four] {
            let tq = backend.tensor(q, shape: [t, heads * hd]), tk = backend.tensor(k, shape: [t, kvHeads * hd])
            let tv = backend.tensor(v, shape: [t, kvHeads * hd])
            let out = backend.zeros([t, heads * hd])
            backend.attention(out, q: tq, k: tk, v: tv, heads: heads, kvHeads: kvHeads, headDim: hd)
            let dq = backend.zeros([t, heads * hd]), dk = backend.zeros([t, kvHeads * hd]), dv = backend.zeros([t, kvHeads * hd])
            backend.attentionBackward(dq, dk, dv, dout: backend.tensor(dout, shape: [t, heads * hd]), q: tq, k: tk, v: tv,
                                      heads: heads, kvHeads: kvHeads, headDim: hd)
            results.append([out, dq, dk, dv].flatMap(backend.toArray))
        }
        #expect(results[0] == results[1])
    }
}
