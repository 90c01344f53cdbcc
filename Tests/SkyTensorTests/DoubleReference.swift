import Foundation

/// Each forward op in Float64 loops, written from its PyTorch definition: the functions gradient checks
/// differentiate numerically.
enum DoubleReference {
    /// (N, OC) = x (N, C) · w (OC, C)ᵀ + b (OC)
    static func linear(_ x: [Double], _ w: [Double], _ b: [Double]?, n: Int, c: Int, oc: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * oc)
        for r in 0..<n {
            for j in 0..<oc {
                var s = b?[j] ?? 0
                for i in 0..<c { s += x[r * c + i] * w[j * c + i] }
                out[r * oc + j] = s
            }
        }
        return out
    }

    static func embedding(_ table: [Double], ids: [Int32], c: Int) -> [Double] {
        ids.flatMap { id in table[(Int(id) * c)..<(Int(id) * c + c)] }
    }

    static func rmsNorm(_ x: [Double], _ w: [Double], eps: Double) -> [Double] {
        let c = w.count
        var out = x
        for r in 0..<(x.count / c) {
            let ms = (0..<c).reduce(0.0) { $0 + x[r * c + $1] * x[r * c + $1] } / Double(c)
            let inv = 1 / (ms + eps).squareRoot()
            for i in 0..<c { out[r * c + i] = w[i] * x[r * c + i] * inv }
        }
        return out
    }

    /// rotate_half RoPE over rows of (N, H·HD) with angle tables cos, sin (P, HD/2).
    static func rope(_ x: [Double], positions: [Int32], cos: [Double], sin: [Double], width: Int, headDim: Int) -> [Double] {
        let half = headDim / 2
        var out = x
        for (r, p) in positions.enumerated() {
            for h in stride(from: 0, to: width, by: headDim) {
                for i in 0..<half {
                    let a = r * width + h + i, b = a + half, cs = cos[Int(p) * half + i], sn = sin[Int(p) * half + i]
                    out[a] = x[a] * cs - x[b] * sn
                    out[b] = x[b] * cs + x[a] * sn
                }
            }
        }
        return out
    }

    static func swiglu(_ gate: [Double], _ up: [Double]) -> [Double] {
        zip(gate, up).map { g, u in g / (1 + Foundation.exp(-g)) * u }
    }

    /// Causal GQA: query t (of T) sits at position S − T + t; head h reads kv head h / (NH / NKV).
    static func attention(_ q: [Double], _ k: [Double], _ v: [Double], t: Int, s: Int, heads: Int, kvHeads: Int, hd: Int) -> [Double] {
        let qw = heads * hd, kw = kvHeads * hd
        var out = [Double](repeating: 0, count: t * qw)
        for h in 0..<heads {
            let g = h / (heads / kvHeads)
            for i in 0..<t {
                let visible = s - t + i + 1
                let scores = (0..<visible).map { j in
                    (0..<hd).reduce(0.0) { $0 + q[i * qw + h * hd + $1] * k[j * kw + g * hd + $1] } / Double(hd).squareRoot()
                }
                let top = scores.max() ?? 0
                let e = scores.map { Foundation.exp($0 - top) }, total = e.reduce(0, +)
                for d in 0..<hd {
                    out[i * qw + h * hd + d] = (0..<visible).reduce(0.0) { $0 + e[$1] / total * v[$1 * kw + g * hd + d] }
                }
            }
        }
        return out
    }

    /// losses (N) = logsumexp(row) − row[target]; 0 where the target is −100.
    static func crossEntropy(_ logits: [Double], targets: [Int32], vocab: Int) -> [Double] {
        targets.enumerated().map { r, target in
            if target == -100 { return 0 }
            let row = logits[(r * vocab)..<(r * vocab + vocab)]
            let top = row.max() ?? 0
            return Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - top) }) + top - row[r * vocab + Int(target)]
        }
    }
}
