extension CUDABackend {
    /// The widest head the attention kernels hold in registers (8 values in each of a warp's 32 lanes).
    static let headDimLimit = 256
    /// Queries (warps) per block of the query-side kernels.
    static let queriesPerBlock = 4

    public func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int) {
        let t = q.rowCount, s = k.rowCount
        checkAttention(q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim, others: [out])
        guard t > 0 else { return }
        launch("sky_attention", grid: queryGrid(t, heads), block: CUDADim(32 * Self.queriesPerBlock),
               [.pointer(out.devicePointer), .pointer(q.devicePointer), .pointer(k.devicePointer), .pointer(v.devicePointer)]
                + sizes(queries: t, keys: s, heads: heads, kvHeads: kvHeads, headDim: headDim))
    }

    public func attentionBackward(_ dq: Tensor, _ dk: Tensor, _ dv: Tensor, dout: Tensor, q: Tensor, k: Tensor, v: Tensor,
                                  heads: Int, kvHeads: Int, headDim: Int) {
        let t = q.rowCount, s = k.rowCount
        checkAttention(q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim, others: [dq, dout])
        precondition(dk.count == k.count && dv.count == v.count, "attentionBackward dk \(dk.shape) dv \(dv.shape) for k \(k.shape)")
        guard t > 0 else { return }
        // The query side first: dq, and each row's logsumexp and Σ p·dp, which the key/value side reads.
        let lse = scratchBuffer("attention.lse", bytes: t * heads * 4)
        let delta = scratchBuffer("attention.delta", bytes: t * heads * 4)
        let shape = sizes(queries: t, keys: s, heads: heads, kvHeads: kvHeads, headDim: headDim)
        launch("sky_attention_backward_query", grid: queryGrid(t, heads), block: CUDADim(32 * Self.queriesPerBlock),
               [.pointer(dq.devicePointer), .pointer(lse), .pointer(delta), .pointer(dout.devicePointer), .pointer(q.devicePointer),
                .pointer(k.devicePointer), .pointer(v.devicePointer)] + shape)
        launch("sky_attention_backward_kv", grid: CUDADim(s, kvHeads), block: CUDADim(32),
               [.pointer(dk.devicePointer), .pointer(dv.devicePointer), .pointer(lse), .pointer(delta), .pointer(dout.devicePointer),
                .pointer(q.devicePointer), .pointer(k.devicePointer), .pointer(v.devicePointer)] + shape)
    }

    /// One warp per query: blocks of `queriesPerBlock` queries along x, heads along y.
    private func queryGrid(_ queries: Int, _ heads: Int) -> CUDADim {
        CUDADim((queries + Self.queriesPerBlock - 1) / Self.queriesPerBlock, heads)
    }

    private func checkAttention(q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int, others: [Tensor]) {
        precondition(headDim <= Self.headDimLimit, "attention with head dim \(headDim): the CUDA kernels take at most \(Self.headDimLimit)")
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim
        precondition(heads % kvHeads == 0 && q.rowLength == qWidth && others.allSatisfy { $0.count == q.count },
                     "attention q \(q.shape) for \(heads) heads of \(headDim)")
        precondition(k.rowLength == kvWidth && v.shape == k.shape && k.rowCount >= q.rowCount,
                     "attention k \(k.shape) v \(v.shape) for \(kvHeads) kv heads and \(q.rowCount) queries")
    }

    private func sizes(queries: Int, keys: Int, heads: Int, kvHeads: Int, headDim: Int) -> [CUDAKernelArgument] {
        [.int32(Int32(queries)), .int32(Int32(keys)), .int32(Int32(heads)), .int32(Int32(kvHeads)), .int32(Int32(headDim)),
         .float32(1 / Float(headDim).squareRoot())]
    }
}
