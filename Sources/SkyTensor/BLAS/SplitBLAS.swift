import CBLAS

/// Row-major sgemm and sgemv cut into pieces over our own threads, each piece one single-threaded OpenBLAS
/// call; small products run whole on the calling thread (see `BLASBackend.init` for why OpenBLAS never
/// threads itself).
enum SplitBLAS {
    /// c (m, n) = alpha · op(a) · op(b) + beta · c, with a stored (m, k) or (k, m) when `transposeA`, b stored
    /// (k, n) or (n, k) when `transposeB`, and leading dimensions as cblas takes them.
    static func sgemm(
        threads: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        if m == 0 || n == 0 { return }
        let split = ProductSplit.gemm(m: m, n: n, k: k, threads: threads)
        // A piece of out's rows takes the same rows of op(a); a piece of its columns the same columns of
        // op(b). Where those live in memory depends on whether the operand is stored transposed.
        func piece(_ index: Int) {
            let range = split.range(index, of: split.axis == .rows ? m : n)
            if range.isEmpty { return }
            var pa = a, pb = b, pc = c, pm = m, pn = n
            switch split.axis {
            case .rows:
                pa = a + range.lowerBound * (transposeA ? 1 : lda)
                pc = c + range.lowerBound * ldc
                pm = range.count
            case .columns:
                pb = b + range.lowerBound * (transposeB ? ldb : 1)
                pc = c + range.lowerBound
                pn = range.count
            }
            cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                        Int32(pm), Int32(pn), Int32(k), alpha, pa, Int32(lda), pb, Int32(ldb), beta, pc, Int32(ldc))
        }
        run(split, piece)
    }

    /// y (m) = alpha · a (m, n) · x (n) + beta · y, a row-major with leading dimension `lda`, x and y contiguous.
    static func sgemv(
        threads: Int, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        if m == 0 { return }
        let split = ProductSplit.gemv(m: m, n: n, threads: threads)
        func piece(_ index: Int) {
            let rows = split.range(index, of: m)
            if rows.isEmpty { return }
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(rows.count), Int32(n), alpha, a + rows.lowerBound * lda, Int32(lda),
                        x, 1, beta, y + rows.lowerBound, 1)
        }
        run(split, piece)
    }

    /// Runs `body` for every piece of `split`; pieces write disjoint parts of the output.
    private static func run(_ split: ProductSplit, _ body: (Int) -> Void) {
        parallelUnits(split.pieces, workers: split.workers, scratch: {}) { _, piece in body(piece) }
    }
}
