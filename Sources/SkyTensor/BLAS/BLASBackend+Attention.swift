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
        let total = RowKernels.expShifted(o, x, visible, shift: top)
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
        let scores = HostStorage(count: t * s)  // (T, S), reused by every head
        let sp = scores.pointer
        for h in 0..<heads {
            let g = h / group
            // scores (T, S) = scale · q_h (T, HD) · k_g (S, HD)ᵀ; strides pick the head's columns.
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(t), Int32(s), Int32(headDim), scale,
                        q.hostPointer + h * headDim, Int32(qWidth), k.hostPointer + g * headDim, Int32(kvWidth),
                        0, sp, Int32(s))
            parallelRows(t, threads: threads, costPerRow: 4 * s) { range in
                for r in range { softmaxRow(sp + r * s, sp + r * s, width: s, visible: past + r + 1) }
            }
            // out_h (T, HD) = probs (T, S) · v_g (S, HD)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(t), Int32(headDim), Int32(s), 1,
                        sp, Int32(s), v.hostPointer + g * headDim, Int32(kvWidth),
                        0, out.hostPointer + h * headDim, Int32(qWidth))
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
                    var total: Float = 0
                    for i in 0..<vocab { total += Foundation.exp(row[i] - top) }
                    l[r] = Foundation.log(total) + top - row[target]
                }
            }
        }
    }
}
