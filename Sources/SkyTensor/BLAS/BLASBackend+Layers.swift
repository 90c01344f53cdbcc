import Foundation

extension BLASBackend {
    public func embedding(_ out: Tensor, ids: [Int32], table: Tensor) {
        // out (N, C), table (V, C)
        let v = table.shape[0], c = table.rowLength
        precondition(out.count == ids.count * c, "embedding of \(ids.count) ids into \(out.shape)")
        let o = out.hostPointer, t = table.hostPointer
        for (row, id) in ids.enumerated() {
            precondition(id >= 0 && Int(id) < v, "token id \(id) outside vocabulary of \(v)")
            (o + row * c).update(from: t + Int(id) * c, count: c)
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

    public func add(_ out: Tensor, _ a: Tensor, _ b: Tensor) {
        precondition(a.count == b.count && out.count == a.count, "add \(a.shape) + \(b.shape) → \(out.shape)")
        let o = out.hostPointer, x = a.hostPointer, y = b.hostPointer
        let c = max(a.rowLength, 1)
        parallelRows(a.rowCount, threads: threads, costPerRow: c) { range in
            for i in (range.lowerBound * c)..<(range.upperBound * c) { o[i] = x[i] + y[i] }
        }
    }
}
