extension BLASBackend {
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        let shape = MatmulShape(out, a, b, transposeA: transposeA, transposeB: transposeB)
        let m = shape.m, n = shape.n, k = shape.k
        if m == 0 || n == 0 { return }
        SplitBLAS.sgemm(threads: threads, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                        a: a.hostPointer, lda: a.shape[1], b: b.hostPointer, ldb: b.shape[1], beta: beta, c: out.hostPointer, ldc: n)
    }

    public func linear(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?) {
        // out (N, OC), input (N, C), weight (OC, C), bias (OC)
        let c = input.rowLength, oc = weight.shape[0]
        let rows = input.rowCount
        precondition(weight.shape == [oc, c] && out.count == rows * oc, "linear \(input.shape) · \(weight.shape)ᵀ → \(out.shape)")
        if rows == 0 { return }
        let o = out.hostPointer
        var beta: Float = 0
        if let bias {
            precondition(bias.count == oc, "bias \(bias.shape) for \(oc) outputs")
            let bp = bias.hostPointer
            for r in 0..<rows { (o + r * oc).update(from: bp, count: oc) }
            beta = 1
        }
        if weight.dtype == .bfloat16 {
            linearBFloat16(o, input.hostPointer, weight.bfloat16Pointer, rows: rows, c: c, oc: oc, beta: beta)
            return
        }
        if rows == 1 {
            // A decode step: OpenBLAS's sgemm packs the whole weight even for one row, so it reads it
            // about twice; sgemv streams it once, which is what bounds decode speed.
            SplitBLAS.sgemv(threads: threads, m: oc, n: c, alpha: 1, a: weight.hostPointer, lda: c, x: input.hostPointer, beta: beta, y: o)
            return
        }
        SplitBLAS.sgemm(threads: threads, transposeA: false, transposeB: true, m: rows, n: oc, k: c, alpha: 1,
                        a: input.hostPointer, lda: c, b: weight.hostPointer, ldb: c, beta: beta, c: o, ldc: oc)
    }
}

extension BLASBackend {
    public func linearBackward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, dout: Tensor, input: Tensor, weight: Tensor) {
        // dinput, input (N, C); dweight, weight (OC, C); dbias (OC); dout (N, OC)
        let c = input.rowLength, oc = weight.shape[0], rows = input.rowCount
        precondition(weight.shape == [oc, c] && dout.count == rows * oc, "linearBackward \(dout.shape) through \(weight.shape)")
        if rows == 0 { return }
        if let dinput, weight.dtype == .bfloat16 {
            precondition(dinput.count == input.count, "dinput \(dinput.shape) for input \(input.shape)")
            // dinput (N, C) += dout (N, OC) · weight (OC, C), a block of the weight's rows at a time.
            let d = dout.hostPointer, di = dinput.hostPointer
            forEachWidenedBlock(weight.bfloat16Pointer, rows: oc, c: c) { j0, count, block in
                SplitBLAS.sgemm(threads: threads, transposeA: false, transposeB: false, m: rows, n: c, k: count, alpha: 1,
                                a: d + j0, lda: oc, b: block, ldb: c, beta: 1, c: di, ldc: c)
            }
        } else if let dinput {
            precondition(dinput.count == input.count, "dinput \(dinput.shape) for input \(input.shape)")
            // dinput (N, C) += dout (N, OC) · weight (OC, C)
            SplitBLAS.sgemm(threads: threads, transposeA: false, transposeB: false, m: rows, n: c, k: oc, alpha: 1,
                            a: dout.hostPointer, lda: oc, b: weight.hostPointer, ldb: c, beta: 1, c: dinput.hostPointer, ldc: c)
        }
        if let dweight {
            precondition(weight.dtype == .float32, "a bfloat16 weight is frozen: its gradient is not computed (train it in float32)")
            precondition(dweight.shape == weight.shape, "dweight \(dweight.shape) for weight \(weight.shape)")
            // dweight (OC, C) += dout (N, OC)ᵀ · input (N, C)
            SplitBLAS.sgemm(threads: threads, transposeA: true, transposeB: false, m: oc, n: c, k: rows, alpha: 1,
                            a: dout.hostPointer, lda: oc, b: input.hostPointer, ldb: c, beta: 1, c: dweight.hostPointer, ldc: c)
        }
        if let dbias {
            precondition(dbias.count == oc, "dbias \(dbias.shape) for \(oc) outputs")
            let db = dbias.hostPointer, d = dout.hostPointer
            for r in 0..<rows {
                for j in 0..<oc { db[j] += d[r * oc + j] }
            }
        }
    }
}

extension BLASBackend {
    /// o (N, OC) = input (N, C) · weight (OC, C)ᵀ + beta · o for a bfloat16 weight. One row (a decode step) streams the
    /// weight once, widening in registers; more rows widen a block of the weight at a time and hand it to sgemm,
    /// which costs one pass over the weight against N passes of arithmetic.
    func linearBFloat16(_ o: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ w: UnsafePointer<UInt16>, rows: Int,
                        c: Int, oc: Int, beta: Float) {
        if rows == 1 {
            let split = ProductSplit.gemv(m: oc, n: c, threads: threads)
            parallelUnits(split.pieces, workers: split.workers, scratch: {}) { _, piece in
                BFloat16Kernels.gemv(w, columns: c, rows: split.range(piece, of: oc), x: x, y: o, beta: beta)
            }
            return
        }
        forEachWidenedBlock(w, rows: oc, c: c) { j0, count, block in
            SplitBLAS.sgemm(threads: threads, transposeA: false, transposeB: true, m: rows, n: count, k: c, alpha: 1,
                            a: x, lda: c, b: block, ldb: c, beta: beta, c: o + j0, ldc: oc)
        }
    }

    /// Calls `body(firstRow, rowCount, block)` for blocks of up to 256 rows of the bf16 matrix w (rows, c), each widened
    /// to float32 in one reused buffer.
    func forEachWidenedBlock(_ w: UnsafePointer<UInt16>, rows: Int, c: Int,
                             _ body: (Int, Int, UnsafePointer<Float>) -> Void) {
        let blockRows = min(rows, 256)
        let buffer = HostStorage(count: blockRows * c)
        var j0 = 0
        while j0 < rows {
            let count = min(blockRows, rows - j0)
            BFloat16Kernels.widen(w + j0 * c, buffer.pointer, count: count * c)
            body(j0, count, buffer.pointer)
            j0 += count
        }
    }
}
