/// The sizes of out (M, N) = op(a) · op(b) from the stored shapes, checked once for every backend.
struct MatmulShape {
    /// Rows of op(a) and out, columns of op(b) and out, and the shared inner size.
    let m: Int, n: Int, k: Int

    /// Stored shapes: a is (M, K), or (K, M) when transposed; b is (K, N), or (N, K) when transposed.
    init(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) {
        precondition(a.rank == 2 && b.rank == 2 && out.rank == 2, "matmul wants matrices, got \(a.shape) \(b.shape) → \(out.shape)")
        m = transposeA ? a.shape[1] : a.shape[0]
        k = transposeA ? a.shape[0] : a.shape[1]
        let kb = transposeB ? b.shape[1] : b.shape[0]
        n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kb && out.shape == [m, n], "matmul \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "") → \(out.shape)")
    }
}
