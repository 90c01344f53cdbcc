import Foundation
import SkyCUDAFake
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// Every op of the CUDA backend, forward and backward, against the BLAS backend, on the fake driver.
///
/// This checks orchestration, not the kernels' arithmetic on a GPU: the fake runs each kernel's CPU reference
/// (Tests/SkyCUDAFake), so what is proven is that the backend allocates the right sizes, passes the right pointers,
/// offsets, sizes and scalars in the right order, reaches every row and column with its grid, maps row-major
/// products onto cuBLAS's column-major ones, and copies ids in and values out as the BLAS backend's semantics ask.
/// The same op checks run on a real GPU in scripts/gpu/selftest.sh.
@Suite struct CUDABackendFakeDriverTests {
    let blas: BLASBackend
    let driver: FakeCUDADriver
    let cuda: CUDABackend

    init() throws {
        blas = BLASBackend(threads: 1)
        driver = FakeCUDADriver()
        cuda = try CUDABackend(driver: driver)
    }

    /// Runs `body` on both backends with the same host inputs and returns each one's outputs.
    func both(_ body: (any Backend) -> [Float]) -> (blas: [Float], cuda: [Float]) {
        (body(blas), body(cuda))
    }

    /// Float32 results of the two backends agree to a first-order bound on `terms`-long sums (different summation
    /// orders, and exp from different libraries), relative to the results' scale; the fake saw no misuse.
    func expectClose(_ pair: (blas: [Float], cuda: [Float]), terms: Int, _ what: String,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(pair.blas.count == pair.cuda.count, "\(what): \(pair.blas.count) vs \(pair.cuda.count) values", sourceLocation: sourceLocation)
        let bound = 4 * Float32Bounds.gamma(terms + 16) * max(1, Float32Bounds.scale(pair.blas))
        let difference = Float32Bounds.largestDifference(pair.blas, pair.cuda)
        #expect(difference <= bound, "\(what): largest difference \(difference) > bound \(bound)", sourceLocation: sourceLocation)
        #expect(!pair.cuda.contains { $0.isNaN }, "\(what): NaN in the CUDA result (memory the backend never wrote)",
                sourceLocation: sourceLocation)
        #expect(driver.problems.isEmpty, "\(what): \(driver.problems)", sourceLocation: sourceLocation)
        #expect((try? cuda.checkForFailure()) != nil, "\(what): the backend recorded a failure", sourceLocation: sourceLocation)
    }

    static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func matmulInEveryTransposeWithAlphaAndBeta(transposeA: Bool, transposeB: Bool) {
        let m = 7, k = 13, n = 5
        let a = Self.random(m * k, seed: 1), b = Self.random(k * n, seed: 2), c = Self.random(m * n, seed: 3)
        let result = both { be in
            let out = be.tensor(c, shape: [m, n])
            be.matmul(out, be.tensor(a, shape: transposeA ? [k, m] : [m, k]), be.tensor(b, shape: transposeB ? [n, k] : [k, n]),
                      transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 2)
            return be.toArray(out)
        }
        expectClose(result, terms: k, "matmul transposeA \(transposeA) transposeB \(transposeB)")
    }

    @Test func linearWithAndWithoutBiasAndItsBackwardOnRowViews() {
        let rows = 6, c = 9, oc = 4
        let x = Self.random((rows + 2) * c, seed: 4), w = Self.random(oc * c, seed: 5), bias = Self.random(oc, seed: 6)
        let dout = Self.random(rows * oc, seed: 7)
        for withBias in [false, true] {
            let result = both { be in
                // Inputs as a view two rows into a larger tensor: offsets must reach the kernels and cuBLAS.
                let input = be.tensor(x, shape: [rows + 2, c]).rows(2..<(rows + 2))
                let weight = be.tensor(w, shape: [oc, c])
                let out = be.zeros([rows, oc])
                be.linear(out, input, weight, bias: withBias ? be.tensor(bias, shape: [oc]) : nil)
                let dinput = be.tensor(Self.random(rows * c, seed: 8), shape: [rows, c])
                let dweight = be.tensor(Self.random(oc * c, seed: 9), shape: [oc, c])
                let dbias = be.tensor(Self.random(oc, seed: 10), shape: [oc])
                be.linearBackward(dinput, dweight, withBias ? dbias : nil, dout: be.tensor(dout, shape: [rows, oc]), input: input, weight: weight)
                return be.toArray(out) + be.toArray(dinput) + be.toArray(dweight) + be.toArray(dbias)
            }
            expectClose(result, terms: max(c, rows, oc), "linear bias \(withBias)")
        }
    }

    @Test func embeddingAndItsBackwardWithRepeatedIds() {
        let vocab = 11, c = 40, ids: [Int32] = [3, 0, 10, 3, 7, 3]
        let table = Self.random(vocab * c, seed: 11), dout = Self.random(ids.count * c, seed: 12)
        let result = both { be in
            let out = be.zeros([ids.count, c])
            be.embedding(out, ids: ids, table: be.tensor(table, shape: [vocab, c]))
            let dtable = be.tensor(table, shape: [vocab, c])
            be.embeddingBackward(dtable, dout: be.tensor(dout, shape: [ids.count, c]), ids: ids)
            return be.toArray(out) + be.toArray(dtable)
        }
        expectClose(result, terms: ids.count, "embedding")
    }

    @Test(arguments: [7, 300])
    func rmsNormAndItsBackward(width: Int) {
        let rows = 5
        let x = Self.random(rows * width, seed: 13), w = Self.random(width, seed: 14), dout = Self.random(rows * width, seed: 15)
        let result = both { be in
            let input = be.tensor(x, shape: [rows, width]), weight = be.tensor(w, shape: [width])
            let out = be.zeros([rows, width])
            be.rmsNorm(out, input, weight: weight, eps: 1e-6)
            let dinput = be.tensor(Self.random(rows * width, seed: 16), shape: [rows, width])
            let dweight = be.tensor(Self.random(width, seed: 17), shape: [width])
            be.rmsNormBackward(dinput, dweight, dout: be.tensor(dout, shape: [rows, width]), input: input, weight: weight, eps: 1e-6)
            return be.toArray(out) + be.toArray(dinput) + be.toArray(dweight)
        }
        expectClose(result, terms: width * 2, "rmsNorm width \(width)")
    }

    @Test func ropeInPlaceAndItsBackward() {
        let rows = 4, heads = 3, headDim = 8, width = heads * headDim, positions: [Int32] = [5, 0, 2, 5]
        let table = 6
        let cos = (0..<(table * headDim / 2)).map { Foundation.cos(Float($0) * 0.1) }
        let sin = (0..<(table * headDim / 2)).map { Foundation.sin(Float($0) * 0.1) }
        let x = Self.random(rows * width, seed: 18), dout = Self.random(rows * width, seed: 19)
        let result = both { be in
            let c = be.tensor(cos, shape: [table, headDim / 2]), s = be.tensor(sin, shape: [table, headDim / 2])
            let t = be.tensor(x, shape: [rows, width])
            be.rope(t, t, positions: positions, cos: c, sin: s, headDim: headDim)
            let dinput = be.tensor(Self.random(rows * width, seed: 20), shape: [rows, width])
            be.ropeBackward(dinput, dout: be.tensor(dout, shape: [rows, width]), positions: positions, cos: c, sin: s, headDim: headDim)
            return be.toArray(t) + be.toArray(dinput)
        }
        expectClose(result, terms: 2, "rope")
    }

    @Test func elementwiseOpsAndTheirBackwards() {
        let n = 1000
        let a = Self.random(n, seed: 21, scale: 4), b = Self.random(n, seed: 22), d = Self.random(n, seed: 23)
        let result = both { be in
            let ta = be.tensor(a, shape: [10, 100]), tb = be.tensor(b, shape: [10, 100]), td = be.tensor(d, shape: [10, 100])
            let out = be.zeros([10, 100])
            be.swiglu(out, gate: ta, up: tb)
            let dgate = be.tensor(b, shape: [10, 100]), dup = be.tensor(a, shape: [10, 100])
            be.swigluBackward(dgate, dup, dout: td, gate: ta, up: tb)
            let sum = be.zeros([10, 100])
            be.add(sum, ta, tb)
            be.add(sum, sum, td)
            let da = be.tensor(d, shape: [10, 100]), db = be.zeros([10, 100])
            be.addBackward(da, db, dout: tb)
            let product = be.zeros([10, 100])
            be.multiply(product, ta, tb)
            let filled = be.zeros([3, 7])
            be.fill(filled, 2.5)
            be.scale(product, by: -0.75)
            let copied = be.zeros([10, 100])
            be.copy(copied.rows(0..<5), ta.rows(5..<10))
            return be.toArray(out) + be.toArray(dgate) + be.toArray(dup) + be.toArray(sum) + be.toArray(da) + be.toArray(db)
                + be.toArray(product) + be.toArray(filled) + be.toArray(copied) + [Float(be.sumOfSquares(ta))]
        }
        expectClose(result, terms: n, "elementwise")
    }

    @Test func softmaxPlainAndCausal() {
        let rows = 6, width = 70
        let x = Self.random(rows * width, seed: 24, scale: 5)
        for offset in [nil, 0, 3, -2] as [Int?] {
            let result = both { be in
                let out = be.zeros([rows, width])
                be.softmax(out, be.tensor(x, shape: [rows, width]), causalOffset: offset)
                return be.toArray(out)
            }
            expectClose(result, terms: width, "softmax offset \(offset.map(String.init) ?? "none")")
        }
    }

    @Test(arguments: [(5, 5), (1, 9), (3, 8)])
    func groupedQueryAttentionAndItsBackward(queries: Int, keys: Int) {
        let heads = 4, kvHeads = 2, headDim = 16
        let q = Self.random(queries * heads * headDim, seed: 25), k = Self.random(keys * kvHeads * headDim, seed: 26)
        let v = Self.random(keys * kvHeads * headDim, seed: 27), dout = Self.random(queries * heads * headDim, seed: 28)
        let result = both { be in
            let tq = be.tensor(q, shape: [queries, heads * headDim]), tk = be.tensor(k, shape: [keys, kvHeads * headDim])
            let tv = be.tensor(v, shape: [keys, kvHeads * headDim])
            let out = be.zeros([queries, heads * headDim])
            be.attention(out, q: tq, k: tk, v: tv, heads: heads, kvHeads: kvHeads, headDim: headDim)
            let dq = be.tensor(Self.random(queries * heads * headDim, seed: 29), shape: [queries, heads * headDim])
            let dk = be.tensor(Self.random(keys * kvHeads * headDim, seed: 30), shape: [keys, kvHeads * headDim])
            let dv = be.tensor(Self.random(keys * kvHeads * headDim, seed: 31), shape: [keys, kvHeads * headDim])
            be.attentionBackward(dq, dk, dv, dout: be.tensor(dout, shape: [queries, heads * headDim]), q: tq, k: tk, v: tv,
                                 heads: heads, kvHeads: kvHeads, headDim: headDim)
            return be.toArray(out) + be.toArray(dq) + be.toArray(dk) + be.toArray(dv)
        }
        expectClose(result, terms: keys * headDim, "attention \(queries) queries over \(keys) keys")
    }

    @Test func crossEntropyAndItsBackwardSkippingIgnoredTargets() {
        let rows = 5, vocab = 300, targets: [Int32] = [4, -100, 299, 0, 17]
        let logits = Self.random(rows * vocab, seed: 32, scale: 6), dlosses = Self.random(rows, seed: 33)
        let result = both { be in
            let x = be.tensor(logits, shape: [rows, vocab])
            let losses = be.zeros([rows])
            be.crossEntropy(losses, logits: x, targets: targets)
            let dx = be.tensor(Self.random(rows * vocab, seed: 34), shape: [rows, vocab])
            be.crossEntropyBackward(dx, dlosses: be.tensor(dlosses, shape: [rows]), logits: x, targets: targets)
            return be.toArray(losses) + be.toArray(dx)
        }
        expectClose(result, terms: vocab, "cross entropy")
    }

    @Test func adamWStepsWithDecay() {
        let n = 777
        let p = Self.random(n, seed: 35), m = Self.random(n, seed: 36, scale: 0.1), v = Self.random(n, seed: 37).map { $0 * $0 }
        let g = Self.random(n, seed: 38)
        let result = both { be in
            let tp = be.tensor(p, shape: [n]), tm = be.tensor(m, shape: [n]), tv = be.tensor(v, shape: [n])
            for step in 1...3 {
                be.adamW(tp, tm, tv, grads: be.tensor(g, shape: [n]), hyper: AdamWHyper(lr: 1e-2, weightDecay: 0.1), step: step)
            }
            return be.toArray(tp) + be.toArray(tm) + be.toArray(tv)
        }
        expectClose(result, terms: 8, "adamW")
    }

    @Test func everyKernelIsLaunchedByTheOpsAboveAndMemoryIsFreed() throws {
        let driver = FakeCUDADriver()
        do {
            let cuda = try CUDABackend(driver: driver)
            let suite = CUDABackendFakeDriverTests(blas: blas, driver: driver, cuda: cuda)
            suite.linearWithAndWithoutBiasAndItsBackwardOnRowViews()
            suite.embeddingAndItsBackwardWithRepeatedIds()
            suite.rmsNormAndItsBackward(width: 7)
            suite.ropeInPlaceAndItsBackward()
            suite.elementwiseOpsAndTheirBackwards()
            suite.softmaxPlainAndCausal()
            suite.groupedQueryAttentionAndItsBackward(queries: 3, keys: 8)
            suite.crossEntropyAndItsBackwardSkippingIgnoredTargets()
            suite.adamWStepsWithDecay()
        }
        #expect(Set(driver.launches.keys) == Set(CUDAKernelLibrary.sky.kernels.keys).union(["cublasSgemmStridedBatched"]),
                "never launched: \(Set(CUDAKernelLibrary.sky.kernels.keys).subtracting(driver.launches.keys).sorted())")
        // Tensors, scratch buffers and the backend are gone: every allocation came back.
        #expect(driver.liveAllocations.count == 0, "\(driver.liveAllocations.count) allocations (\(driver.liveAllocations.bytes) bytes) never freed")
        #expect(driver.problems.isEmpty, "\(driver.problems)")
    }

    @Test func outOfDeviceMemoryIsKeptAndReportedWithTheSizesThatDidNotFit() throws {
        let driver = FakeCUDADriver(memoryLimit: 1 << 20)
        let cuda = try CUDABackend(driver: driver)
        let small = cuda.tensor([1, 2, 3], shape: [3])
        let huge = cuda.zeros([1024, 1024])
        // Ops after the failure do nothing (as a GPU's queued work after a fault) instead of crashing.
        cuda.add(small, small, small)
        _ = huge
        let error = #expect(throws: CUDAError.self) { try cuda.checkForFailure() }
        #expect(error?.isOutOfMemory == true)
        let message = error?.description ?? ""
        #expect(message.contains("[1024, 1024]") && message.contains("4194304 bytes") && message.contains("lower the micro-batch"), "\(message)")
    }
}

extension CUDABackendFakeDriverTests {
    /// The suite over a given driver and backend, so one test can run the others against a single fake.
    init(blas: BLASBackend, driver: FakeCUDADriver, cuda: CUDABackend) {
        self.blas = blas
        self.driver = driver
        self.cuda = cuda
    }
}
