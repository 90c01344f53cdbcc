import CBLAS

extension BLASBackend {
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        precondition(a.rank == 2 && b.rank == 2 && out.rank == 2, "matmul wants matrices, got \(a.shape) \(b.shape) → \(out.shape)")
        // Stored shapes: a is (M, K) or (K, M) when transposed; b is (K, N) or (N, K).
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb && out.shape == [m, n], "matmul \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "") → \(out.shape)")
        if m == 0 || n == 0 { return }
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha,
            a.hostPointer, Int32(a.shape[1]), b.hostPointer, Int32(b.shape[1]),
            beta, out.hostPointer, Int32(n))
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
        if rows == 1 {
            // A decode step: OpenBLAS's sgemm packs the whole weight even for one row, so it reads it
            // about twice; sgemv streams it once, which is what bounds decode speed.
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(oc), Int32(c), 1, weight.hostPointer, Int32(c),
                        input.hostPointer, 1, beta, o, 1)
            return
        }
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(oc), Int32(c), 1,
            input.hostPointer, Int32(c), weight.hostPointer, Int32(c), beta, o, Int32(oc))
    }
}

extension BLASBackend {
    public func linearBackward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, dout: Tensor, input: Tensor, weight: Tensor) {
        // dinput, input (N, C); dweight, weight (OC, C); dbias (OC); dout (N, OC)
        let c = input.rowLength, oc = weight.shape[0], rows = input.rowCount
        precondition(weight.shape == [oc, c] && dout.count == rows * oc, "linearBackward \(dout.shape) through \(weight.shape)")
        if rows == 0 { return }
        if let dinput {
            precondition(dinput.count == input.count, "dinput \(dinput.shape) for input \(input.shape)")
            // dinput (N, C) += dout (N, OC) · weight (OC, C)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(c), Int32(oc), 1,
                        dout.hostPointer, Int32(oc), weight.hostPointer, Int32(c), 1, dinput.hostPointer, Int32(c))
        }
        if let dweight {
            precondition(dweight.shape == weight.shape, "dweight \(dweight.shape) for weight \(weight.shape)")
            // dweight (OC, C) += dout (N, OC)ᵀ · input (N, C)
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(oc), Int32(c), Int32(rows), 1,
                        dout.hostPointer, Int32(oc), input.hostPointer, Int32(c), 1, dweight.hostPointer, Int32(c))
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
