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
        // Queries go in blocks so each block scores only the keys it can see (causal prefill does about half
        // of a full T × S product), and the `group` query heads sharing a key/value head are stacked into
        // one matrix so each block is two large products instead of 2·group small ones. Blocks shrink for
        // long contexts to bound the scores buffer at ~4M floats.
        let block = max(1, min(128, t, (1 << 22) / max(1, group * s)))
        let stacked = group * block
        let blocks = (t + block - 1) / block
        // Each (key/value head, query block) pair writes its own output rows and columns, so pairs run on
        // separate threads with their own buffers; decode steps are far below the threshold and stay here.
        let work = 2 * heads * headDim * t * (past + (t + 1) / 2)
        let workers = min(threads, kvHeads * blocks, max(1, work / ProductSplit.minimumGEMMWork))
        let q0 = q.hostPointer, k0 = k.hostPointer, v0 = v.hostPointer, o0 = out.hostPointer
        parallelUnits(kvHeads * blocks, workers: workers) {
            // scores (group · rows, visible keys); queries and outputs (group · rows, HD), head-major
            (scores: HostStorage(count: stacked * s), queries: HostStorage(count: stacked * headDim), outputs: HostStorage(count: stacked * headDim))
        } body: { buffers, unit in
            // Later blocks see more keys; handing them out first keeps the last unit to finish a short one.
            let g = unit % kvHeads, r0 = (blocks - 1 - unit / kvHeads) * block
            let sp = buffers.scores.pointer, qb = buffers.queries.pointer, ob = buffers.outputs.pointer
            let r1 = min(t, r0 + block), rows = r1 - r0, width = past + r1, m = group * rows
            for j in 0..<group {
                for i in 0..<rows {
                    (qb + (j * rows + i) * headDim).update(from: q0 + (r0 + i) * qWidth + (g * group + j) * headDim, count: headDim)
                }
            }
            // scores (m, width) = scale · queries (m, HD) · k_g (width, HD)ᵀ
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(width), Int32(headDim), scale,
                        qb, Int32(headDim), k0 + g * headDim, Int32(kvWidth), 0, sp, Int32(width))
            for row in 0..<m {
                softmaxRow(sp + row * width, sp + row * width, width: width, visible: past + r0 + row % rows + 1)
            }
            // outputs (m, HD) = probs (m, width) · v_g (width, HD)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(headDim), Int32(width), 1,
                        sp, Int32(width), v0 + g * headDim, Int32(kvWidth), 0, ob, Int32(headDim))
            for j in 0..<group {
                for i in 0..<rows {
                    (o0 + (r0 + i) * qWidth + (g * group + j) * headDim).update(from: ob + (j * rows + i) * headDim, count: headDim)
                }
            }
        }
    }

    public func attentionBackward(_ dq: Tensor, _ dk: Tensor, _ dv: Tensor, dout: Tensor, q: Tensor, k: Tensor, v: Tensor,
                                  heads: Int, kvHeads: Int, headDim: Int) {
        // dq, dout, q (T, NH·HD); dk, dv, k, v (S, NKV·HD)
        let t = q.rowCount, s = k.rowCount
        let qWidth = heads * headDim, kvWidth = kvHeads * headDim
        precondition(heads % kvHeads == 0 && q.rowLength == qWidth && dout.count == q.count && dq.count == q.count,
                     "attentionBackward q \(q.shape) for \(heads) heads of \(headDim)")
        precondition(k.rowLength == kvWidth && v.shape == k.shape && dk.count == k.count && dv.count == v.count && s >= t,
                     "attentionBackward k \(k.shape) v \(v.shape) for \(kvHeads) kv heads and \(t) queries")
        if t == 0 { return }
        let past = s - t, group = heads / kvHeads
        let scale = 1 / Float(headDim).squareRoot()
        // Queries in blocks, each recomputing only the scores it can see (width past + r1, about half of T × S
        // for causal training), with the `group` query heads that share a key/value head stacked into one
        // matrix as in the forward: every product is then group × block rows deep instead of block, which is
        // what lets sgemm run near its peak. Buffers stay under ~4M floats however long the sequence.
        let block = max(1, min(128, t, (1 << 22) / max(1, group * s)))
        let stacked = group * block
        // Threads take whole key/value heads: dk_g and dv_g sum over the group's heads and every block, so
        // splitting finer would make two threads add into the same rows.
        let work = 4 * heads * headDim * t * (past + (t + 1) / 2)
        let workers = min(threads, kvHeads, max(1, work / ProductSplit.minimumGEMMWork))
        let q0 = q.hostPointer, k0 = k.hostPointer, v0 = v.hostPointer, d0 = dout.hostPointer
        let dq0 = dq.hostPointer, dk0 = dk.hostPointer, dv0 = dv.hostPointer
        parallelUnits(kvHeads, workers: workers) {
            (probs: HostStorage(count: stacked * s), dprobs: HostStorage(count: stacked * s), queries: HostStorage(count: stacked * headDim),
             douts: HostStorage(count: stacked * headDim), dqueries: HostStorage(count: stacked * headDim))
        } body: { buffers, g in
            let p = buffers.probs.pointer, dp = buffers.dprobs.pointer
            let qb = buffers.queries.pointer, db = buffers.douts.pointer, dqb = buffers.dqueries.pointer
            let kg = k0 + g * headDim, vg = v0 + g * headDim, dkg = dk0 + g * headDim, dvg = dv0 + g * headDim
            var r0 = 0
            while r0 < t {
                let r1 = min(t, r0 + block), rows = r1 - r0, width = past + r1, m = group * rows
                // Stacked (m, HD), head-major: row j·rows + i is query r0 + i of head g·group + j.
                for j in 0..<group {
                    for i in 0..<rows {
                        let column = (r0 + i) * qWidth + (g * group + j) * headDim
                        (qb + (j * rows + i) * headDim).update(from: q0 + column, count: headDim)
                        (db + (j * rows + i) * headDim).update(from: d0 + column, count: headDim)
                    }
                }
                // probs (m, width) = softmax(scale · queries k_gᵀ), causal, recomputed as the forward did.
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(width), Int32(headDim), scale,
                            qb, Int32(headDim), kg, Int32(kvWidth), 0, p, Int32(width))
                for row in 0..<m {
                    softmaxRow(p + row * width, p + row * width, width: width, visible: past + r0 + row % rows + 1)
                }
                // dv_g (width, HD) += probsᵀ · douts
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(width), Int32(headDim), Int32(m), 1,
                            p, Int32(width), db, Int32(headDim), 1, dvg, Int32(kvWidth))
                // dprobs (m, width) = douts · v_gᵀ, then the softmax backward (masked entries have probs 0).
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(m), Int32(width), Int32(headDim), 1,
                            db, Int32(headDim), vg, Int32(kvWidth), 0, dp, Int32(width))
                for row in 0..<m { RowKernels.softmaxBackward(dp + row * width, probs: p + row * width, width) }
                // dqueries (m, HD) = scale · dscores · k_g; dk_g (width, HD) += scale · dscoresᵀ · queries
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(headDim), Int32(width), scale,
                            dp, Int32(width), kg, Int32(kvWidth), 0, dqb, Int32(headDim))
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(width), Int32(headDim), Int32(m), scale,
                            dp, Int32(width), qb, Int32(headDim), 1, dkg, Int32(kvWidth))
                for j in 0..<group {
                    for i in 0..<rows {
                        let out = dq0 + (r0 + i) * qWidth + (g * group + j) * headDim, src = dqb + (j * rows + i) * headDim
                        for e in 0..<headDim { out[e] += src[e] }
                    }
                }
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
                    // The sum ends in double and the log is taken in double: V terms of up to 1 each would lose digits in float.
                    let total = VectorMath.sumExpShifted(row, vocab, shift: top)
                    l[r] = Float(Foundation.log(total)) + top - row[target]
                }
            }
        }
    }

    public func crossEntropyBackward(_ dlogits: Tensor, dlosses: Tensor, logits: Tensor, targets: [Int32]) {
        // dlogits, logits (N, V); dlosses, targets (N)
        let vocab = logits.rowLength, rows = logits.rowCount
        precondition(targets.count == rows && dlosses.count == rows && dlogits.count == logits.count,
                     "crossEntropyBackward \(logits.shape) with \(targets.count) targets")
        let dx = dlogits.hostPointer, dl = dlosses.hostPointer, x = logits.hostPointer
        targets.withUnsafeBufferPointer { tp in
            parallelRows(rows, threads: threads, costPerRow: 6 * vocab) { range in
                for r in range {
                    let target = Int(tp[r])
                    if target == -100 { continue }
                    precondition(target >= 0 && target < vocab, "target \(target) outside vocabulary of \(vocab)")
                    let row = x + r * vocab, drow = dx + r * vocab
                    let top = RowKernels.maximum(row, vocab)
                    let total = VectorMath.sumExpShifted(row, vocab, shift: top)
                    let g = dl[r]
                    VectorMath.addScaledExpShifted(drow, row, vocab, shift: top, factor: g * Float(1 / total))
                    drow[target] -= g
                }
            }
        }
    }
}
