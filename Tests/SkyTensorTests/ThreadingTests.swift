import SkyTensor
import Testing

/// Ops split rows across threads; each row is computed the same way, so results must be bit-identical.
@Suite struct ThreadingTests {
    let one = BLASBackend(threads: 1)
    let four = BLASBackend(threads: 4)

    /// Runs `op` on both backends with the same inputs (big enough to be split) and returns both outputs.
    func both(_ shapes: [[Int]], out: [Int], _ op: (any Backend, [Tensor], Tensor) -> Void) -> ([Float], [Float]) {
        let inputs = shapes.enumerated().map { i, shape in NaiveReference.random(shape.reduce(1, *), seed: UInt64(20 + i)) }
        var results: [[Float]] = []
        for backend in [one, four] as [any Backend] {
            let tensors = zip(inputs, shapes).map { backend.tensor($0, shape: $1) }
            let o = backend.zeros(out)
            op(backend, tensors, o)
            results.append(backend.toArray(o))
        }
        return (results[0], results[1])
    }

    @Test func rowWiseOpsGiveIdenticalResultsOnOneAndFourThreads() {
        let rows = 2048, c = 72
        var (a, b) = both([[rows, c], [c]], out: [rows, c]) { $0.rmsNorm($2, $1[0], weight: $1[1], eps: 1e-5) }
        #expect(a == b)
        (a, b) = both([[rows, c], [rows, c]], out: [rows, c]) { $0.swiglu($2, gate: $1[0], up: $1[1]) }
        #expect(a == b)
        (a, b) = both([[rows, c], [rows, c]], out: [rows, c]) { $0.add($2, $1[0], $1[1]) }
        #expect(a == b)
        (a, b) = both([[rows, 300]], out: [rows, 300]) { $0.softmax($2, $1[0], causalOffset: 5) }
        #expect(a == b)
        (a, b) = both([[rows, 300]], out: [rows]) { backend, t, o in
            backend.crossEntropy(o, logits: t[0], targets: (0..<Int32(rows)).map { $0 % 300 })
        }
        #expect(a == b)
    }

    @Test func ropeGivesIdenticalResultsOnOneAndFourThreads() {
        let rows = 1024, hd = 16
        let (a, b) = both([[rows, 4 * hd], [rows, hd / 2], [rows, hd / 2]], out: [rows, 4 * hd]) { backend, t, o in
            backend.rope(o, t[0], positions: (0..<Int32(rows)).map { $0 }, cos: t[1], sin: t[2], headDim: hd)
        }
        #expect(a == b)
    }

    @Test func rowWiseBackwardsGiveIdenticalResultsOnOneAndFourThreads() {
        let rows = 2048, c = 72
        // Gradients land in `out` (the ops add into it) from an all-zero start on both backends.
        var (a, b) = both([[rows, c], [rows, c], [c]], out: [rows, c]) { backend, t, o in
            backend.rmsNormBackward(o, nil, dout: t[0], input: t[1], weight: t[2], eps: 1e-5)
        }
        #expect(a == b)
        (a, b) = both([[rows, c], [rows, c], [rows, c]], out: [rows, c]) { backend, t, o in
            backend.swigluBackward(o, backend.zeros([rows, c]), dout: t[0], gate: t[1], up: t[2])
        }
        #expect(a == b)
        (a, b) = both([[rows, 300], [rows]], out: [rows, 300]) { backend, t, o in
            backend.crossEntropyBackward(o, dlosses: t[1], logits: t[0], targets: (0..<Int32(rows)).map { $0 % 7 == 0 ? -100 : $0 % 300 })
        }
        #expect(a == b)
        (a, b) = both([[rows, 64], [rows, 8], [rows, 8]], out: [rows, 64]) { backend, t, o in
            backend.ropeBackward(o, dout: t[0], positions: (0..<Int32(rows)).map { $0 }, cos: t[1], sin: t[2], headDim: 16)
        }
        #expect(a == b)
    }
}
