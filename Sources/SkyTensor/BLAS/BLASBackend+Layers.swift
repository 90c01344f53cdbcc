import Foundation

extension BLASBackend {
    public func embedding(_ out: Tensor, ids: [Int32], table: Tensor) {
        // out (N, C), table (V, C)
        let v = table.shape[0], c = table.rowLength
        precondition(out.count == ids.count * c, "embedding of \(ids.count) ids into \(out.shape)")
        let o = out.hostPointer
        for id in ids { precondition(id >= 0 && Int(id) < v, "token id \(id) outside vocabulary of \(v)") }
        if table.dtype == .bfloat16 {
            let t = table.bfloat16Pointer
            for (row, id) in ids.enumerated() { BFloat16Kernels.widen(t + Int(id) * c, o + row * c, count: c) }
            return
        }
        let t = table.hostPointer
        for (row, id) in ids.enumerated() { (o + row * c).update(from: t + Int(id) * c, count: c) }
    }

    public func embeddingBackward(_ dtable: Tensor, dout: Tensor, ids: [Int32]) {
        // dtable (V, C), dout (N, C); serial because repeated ids add into the same row.
        let v = dtable.shape[0], c = dtable.rowLength
        precondition(dout.count == ids.count * c, "embeddingBackward of \(ids.count) ids from \(dout.shape)")
        let d = dout.hostPointer, t = dtable.hostPointer
        for (row, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < v, "token id \(id) outside vocabulary of \(v)")
            let dst = t + Int(id) * c, src = d + row * c
            for i in 0..<c { dst[i] += src[i] }
        }
    }

    public func rmsNorm(_ out: Tensor, _ input: Tensor, weight: Tensor, eps: Float) {
        // out (N, C), input (N, C), weight (C)
        let c = input.rowLength, rows = input.rowCount
        precondition(weight.count == c && out.count == input.count, "rmsNorm \(input.shape) with weight \(weight.shape)")
        let o = out.hostPointer, x = input.hostPointer, w = weight.hostPointer
        parallelRows(rows, threads: threads, costPerRow: 3 * c) { range in
            for r in range {
                let xr = x + r * c, orow = o + r * c
                // Hugging Face: x * rsqrt(mean(x²) + eps), then weight * that, all in float32.
                let inv = 1 / (RowKernels.sumOfSquares(xr, c) / Float(c) + eps).squareRoot()
                for i in 0..<c { orow[i] = w[i] * (xr[i] * inv) }
            }
        }
    }

    public func rmsNormBackward(_ dinput: Tensor, _ dweight: Tensor?, dout: Tensor, input: Tensor, weight: Tensor, eps: Float) {
        // dinput, dout, input (N, C); dweight, weight (C)
        let c = input.rowLength, rows = input.rowCount
        precondition(weight.count == c && dout.count == input.count && dinput.count == input.count,
                     "rmsNormBackward \(input.shape) with weight \(weight.shape)")
        let di = dinput.hostPointer, d = dout.hostPointer, x = input.hostPointer, w = weight.hostPointer
        // With r = 1/√(mean(x²) + eps) and n = x·r: y = w·n, so dn = dout·w and
        // dx = r·(dn − n·mean(dn·n)), the second term being the gradient through r.
        parallelRows(rows, threads: threads, costPerRow: 6 * c) { range in
            for row in range {
                let xr = x + row * c, dr = d + row * c, dir = di + row * c
                let r = 1 / (RowKernels.sumOfSquares(xr, c) / Float(c) + eps).squareRoot()
                var dot: Float = 0
                for i in 0..<c { dot += dr[i] * w[i] * xr[i] * r }
                let mean = dot / Float(c)
                for i in 0..<c { dir[i] += r * (dr[i] * w[i] - xr[i] * r * mean) }
            }
        }
        guard let dweight else { return }
        precondition(dweight.count == c, "dweight \(dweight.shape) for width \(c)")
        // dweight sums over rows, so it runs on one thread rather than racing across them.
        let dw = dweight.hostPointer
        for row in 0..<rows {
            let xr = x + row * c, dr = d + row * c
            let r = 1 / (RowKernels.sumOfSquares(xr, c) / Float(c) + eps).squareRoot()
            for i in 0..<c { dw[i] += dr[i] * xr[i] * r }
        }
    }

    public func rope(_ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        // out, input (N, H·HD); cos, sin (P, HD/2)
        let rows = input.rowCount, width = input.rowLength, half = headDim / 2
        precondition(headDim % 2 == 0 && width % headDim == 0 && positions.count == rows && out.count == input.count,
                     "rope over \(input.shape) with head dim \(headDim) and \(positions.count) positions")
        precondition(cos.rowLength == half && sin.shape == cos.shape, "rope tables \(cos.shape) for head dim \(headDim)")
        let p = cos.rowCount
        let o = out.hostPointer, x = input.hostPointer, cp = cos.hostPointer, sp = sin.hostPointer
        positions.withUnsafeBufferPointer { pos in
            parallelRows(rows, threads: threads, costPerRow: 3 * width) { range in
                for r in range {
                    let at = Int(pos[r])
                    precondition(at >= 0 && at < p, "position \(at) outside rotary table of \(p)")
                    let cr = cp + at * half, sr = sp + at * half
                    var h = 0
                    while h < width {
                        let xi = x + r * width + h, oi = o + r * width + h
                        // rotate_half: (x1, x2) → (x1·cos − x2·sin, x2·cos + x1·sin); out may alias input.
                        for i in 0..<half {
                            let x1 = xi[i], x2 = xi[i + half]
                            oi[i] = x1 * cr[i] - x2 * sr[i]
                            oi[i + half] = x2 * cr[i] + x1 * sr[i]
                        }
                        h += headDim
                    }
                }
            }
        }
    }

    public func ropeBackward(_ dinput: Tensor, dout: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        // dinput, dout (N, H·HD); cos, sin (P, HD/2)
        let rows = dout.rowCount, width = dout.rowLength, half = headDim / 2
        precondition(headDim % 2 == 0 && width % headDim == 0 && positions.count == rows && dinput.count == dout.count,
                     "ropeBackward over \(dout.shape) with head dim \(headDim) and \(positions.count) positions")
        precondition(cos.rowLength == half && sin.shape == cos.shape, "rope tables \(cos.shape) for head dim \(headDim)")
        let p = cos.rowCount
        let di = dinput.hostPointer, d = dout.hostPointer, cp = cos.hostPointer, sp = sin.hostPointer
        positions.withUnsafeBufferPointer { pos in
            parallelRows(rows, threads: threads, costPerRow: 3 * width) { range in
                for r in range {
                    let at = Int(pos[r])
                    precondition(at >= 0 && at < p, "position \(at) outside rotary table of \(p)")
                    let cr = cp + at * half, sr = sp + at * half
                    var h = 0
                    while h < width {
                        let gi = d + r * width + h, oi = di + r * width + h
                        // The rotation's transpose: (g1, g2) → (g1·cos + g2·sin, g2·cos − g1·sin).
                        for i in 0..<half {
                            let g1 = gi[i], g2 = gi[i + half]
                            oi[i] += g1 * cr[i] + g2 * sr[i]
                            oi[i + half] += g2 * cr[i] - g1 * sr[i]
                        }
                        h += headDim
                    }
                }
            }
        }
    }

    public func swiglu(_ out: Tensor, gate: Tensor, up: Tensor) {
        // out, gate, up (N, F)
        precondition(gate.count == up.count && out.count == up.count, "swiglu \(gate.shape) × \(up.shape) → \(out.shape)")
        let o = out.hostPointer, g = gate.hostPointer, u = up.hostPointer
        let f = max(up.rowLength, 1)
        parallelRows(up.rowCount, threads: threads, costPerRow: 8 * f) { range in
            let start = range.lowerBound * f
            VectorMath.swiglu(o + start, g + start, u + start, range.count * f)
        }
    }

    public func swigluBackward(_ dgate: Tensor, _ dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor) {
        // dgate, dup, dout, gate, up (N, F)
        precondition(gate.count == up.count && dout.count == up.count && dgate.count == up.count && dup.count == up.count,
                     "swigluBackward \(gate.shape) × \(up.shape) from \(dout.shape)")
        let dg = dgate.hostPointer, du = dup.hostPointer, d = dout.hostPointer, g = gate.hostPointer, u = up.hostPointer
        let f = max(up.rowLength, 1)
        parallelRows(up.rowCount, threads: threads, costPerRow: 12 * f) { range in
            for i in (range.lowerBound * f)..<(range.upperBound * f) {
                // silu(x) = x·σ(x), silu′(x) = σ(x)·(1 + x·(1 − σ(x))).
                let x = g[i], s = 1 / (1 + VectorMath.exp(-x))
                dg[i] += d[i] * u[i] * s * (1 + x * (1 - s))
                du[i] += d[i] * x * s
            }
        }
    }

    public func add(_ out: Tensor, _ a: Tensor, _ b: Tensor) {
        precondition(a.count == b.count && out.count == a.count, "add \(a.shape) + \(b.shape) → \(out.shape)")
        let o = out.hostPointer, x = a.hostPointer, y = b.hostPointer
        let c = max(a.rowLength, 1)
        parallelRows(a.rowCount, threads: threads, costPerRow: c) { range in
            for i in (range.lowerBound * c)..<(range.upperBound * c) { o[i] = x[i] + y[i] }
        }
    }

    public func addBackward(_ da: Tensor, _ db: Tensor, dout: Tensor) {
        precondition(da.count == dout.count && db.count == dout.count, "addBackward \(dout.shape) → \(da.shape), \(db.shape)")
        let a = da.hostPointer, b = db.hostPointer, d = dout.hostPointer
        for i in 0..<dout.count {
            a[i] += d[i]
            b[i] += d[i]
        }
    }

    public func multiply(_ out: Tensor, _ a: Tensor, _ b: Tensor) {
        precondition(a.count == b.count && out.count == a.count, "multiply \(a.shape) · \(b.shape) → \(out.shape)")
        let o = out.hostPointer, x = a.hostPointer, y = b.hostPointer
        for i in 0..<a.count { o[i] = x[i] * y[i] }
    }
}
