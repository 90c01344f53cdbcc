extension CUDABackend {
    /// The most keys the first attention kernels hold in shared memory: the scores (forward, 4 bytes a key) or the
    /// probabilities and their gradients (backward, 8 bytes a key) within the default 48 KiB per block.
    static let attentionKeyLimit = 12_000, attentionBackwardKeyLimit = 6_000

    public func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int) {
        let t = q.rowCount, s = k.rowCount
        checkAttention(q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim, others: [out])
        precondition(s <= Self.attentionKeyLimit,
                     "attention over \(s) keys: the CUDA backend's attention kernel holds at most \(Self.attentionKeyLimit) keys")
        guard t > 0 else { return }
        launch("sky_attention", grid: CUDADim(t, heads), block: CUDADim(128), sharedBytes: s * 4,
               [.pointer(out.devicePointer), .pointer(q.devicePointer), .pointer(k.devicePointer), .pointer(v.devicePointer)]
                + sizes(queries: t, keys: s, heads: heads, kvHeads: kvHeads, headDim: headDim))
    }

    public func attentionBackward(_ dq: Tensor, _ dk: Tensor, _ dv: Tensor, dout: Tensor, q: Tensor, k: Tensor, v: Tensor,
                                  heads: Int, kvHeads: Int, headDim: Int) {
        let t = q.rowCount, s = k.rowCount
        checkAttention(q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim, others: [dq, dout])
        precondition(dk.count == k.count && dv.count == v.count, "attentionBackward dk \(dk.shape) dv \(dv.shape) for k \(k.shape)")
        precondition(s <= Self.attentionBackwardKeyLimit,
                     "attentionBackward over \(s) keys: the CUDA backend's kernel holds at most \(Self.attentionBackwardKeyLimit) keys")
        guard t > 0 else { return }
        // The query side first: dq, and each row's logsumexp and Σ p·dp, which the key/value side reads.
        let lse = scratchBuffer("attention.lse", bytes: t * heads * 4)
        let delta = scratchBuffer("attention.delta", bytes: t * heads * 4)
        let shape = sizes(queries: t, keys: s, heads: heads, kvHeads: kvHeads, headDim: headDim)
        launch("sky_attention_backward_query", grid: CUDADim(t, heads), block: CUDADim(128), sharedBytes: 2 * s * 4,
               [.pointer(dq.devicePointer), .pointer(lse), .pointer(delta), .pointer(dout.devicePointer), .pointer(q.devicePointer),
                .pointer(k.devicePointer), .pointer(v.devicePointer)] + shape)
        launch("sky_attention_backward_kv", grid: CUDADim(s, kvHeads), block: CUDADim(32),
               [.pointer(dk.devicePointer), .pointer(dv.devicePointer), .pointer(lse), .pointer(delta), .pointer(dout.devicePointer),
                .pointer(q.devicePointer), .pointer(k.devicePointer), .pointer(v.devicePointer)] + shape)
    }

    private func checkAttention(q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int, others: [Tensor]) {
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
