import CBLAS
import Foundation

extension BLASBackend {
    public func softmax(_ out: Tensor, _ input: Tensor, causalOffset: Int?) {
        // out, input (R, S)
        precondition(out.count == input.count, "softmax \(input.shape) → \(out.shape)")
        let s = input.rowLength
        let o = out.hostPointer, x = input.hostPointer
        parallelRows(input.rowCount, threads: threads, costPerRow: 4 * s) { range in
            for r in range {
                softmaxRow(o + r * s, x + r * s, width: s, visible: causalOffset.map { min(s, max(0, r + $0 + 1)) } ?? s)
            }
        }
    }

    /// Softmax of the first `visible` entries; the masked rest are 0 (what exp(−∞) gives in PyTorch).
    @inline(__always)
    func softmaxRow(_ o: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, width: Int, visible: Int) {
        let top = RowKernels.maximum(x, visible)
        let total = VectorMath.expShifted(o, x, visible, shift: top)
        RowKernels.scale(o, visible, by: 1 / total)
        if visible < width { (o + visible).update(repeating: 0, count: width - visible) }
    }

    public func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int) {
        // out, q (T, NH·HD); k, v (S, NKV·HD)
        let t = q.rowCount, s = k.rowCount
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim
        precondition(heads % kvHeads == 0 && q.rowLength == qWidth && out.count == q.count,
                     "attention q \(q.shape) for \(heads) heads of \(headDim)")
        precondition(k.rowLength == kvWidth && v.shape == k.shape && s >= t,
                     "attention k \(k.shape) v \(v.shape) for \(kvHeads) kv heads and \(t) queries")
        if t == 0 { return }
        let past = s - t
        let group = heads / kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        // Queries go in blocks so each block only scores the keys it can see: causal prefill does about
        // half the work of a full T × S product.
        let block = 128
        // Heads run one after another with BLAS's threads inside each product: concurrent sgemm calls from
        // several threads serialise inside OpenBLAS 0.3 and measured 7× slower.
        let scores = HostStorage(count: min(t, block) * s)  // (rows of a block, visible keys), reused
        let sp = scores.pointer
        let q0 = q.hostPointer, k0 = k.hostPointer, v0 = v.hostPointer, o0 = out.hostPointer
        for h in 0..<heads {
            let g = h / group
            var r0 = 0
            while r0 < t {
                let r1 = min(t, r0 + block), rows = r1 - r0, width = past + r1
                // scores (rows, width) = scale · q_h (rows, HD) · k_g (width, HD)ᵀ; strides pick the head's columns.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(width), Int32(headDim), scale,
                            q0 + r0 * qWidth + h * headDim, Int32(qWidth), k0 + g * headDim, Int32(kvWidth),
                            0, sp, Int32(width))
                // On the calling thread: waking dispatch workers while BLAS threads spin doubled the time.
                for i in 0..<rows { softmaxRow(sp + i * width, sp + i * width, width: width, visible: past + r0 + i + 1) }
                // out_h (rows, HD) = probs (rows, width) · v_g (width, HD)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(headDim), Int32(width), 1,
                            sp, Int32(width), v0 + g * headDim, Int32(kvWidth),
                            0, o0 + r0 * qWidth + h * headDim, Int32(qWidth))
                r0 = r1
            }
        }
    }

    public func crossEntropy(_ losses: Tensor, logits: Tensor, targets: [Int32]) {
        // losses (N), logits (N, V), targets (N)
        let vocab = logits.rowLength, rows = logits.rowCount
        precondition(targets.count == rows && losses.count == rows, "crossEntropy \(logits.shape) with \(targets.count) targets")
        let l = losses.hostPointer, x = logits.hostPointer
        targets.withUnsafeBufferPointer { tp in
            parallelRows(rows, threads: threads, costPerRow: 4 * vocab) { range in
                for r in range {
                    let target = Int(tp[r])
                    if target == -100 { l[r] = 0; continue }
                    precondition(target >= 0 && target < vocab, "target \(target) outside vocabulary of \(vocab)")
                    let row = x + r * vocab
                    let top = RowKernels.maximum(row, vocab)
                    // Double for the sum and log: V terms of up to 1 each would lose digits in float.
                    var total: Double = 0
                    for i in 0..<vocab { total += Double(Foundation.exp(row[i] - top)) }
                    l[r] = Float(Foundation.log(total)) + top - row[target]
                }
            }
        }
    }
}
