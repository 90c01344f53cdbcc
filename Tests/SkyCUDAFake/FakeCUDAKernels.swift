import Foundation
public import SkyTensor

/// The CPU reference of every kernel in `CUDAKernelSource`, by name: the same arithmetic in Swift, run over the blocks
/// and threads the launch's grid reaches (one-block-per-row kernels see only rows below grid.x, one-thread-per-column
/// kernels only columns below grid.x · block.x; grid-stride loops cover everything by construction).
public enum FakeCUDAKernels {
    /// Reference by kernel name.
    public static let references: [String: @Sendable (FakeLaunch) throws(CUDAError) -> Void] = [
        "sky_f32_to_bf16": { l throws(CUDAError) in
            let n = l.int(2), out = try l.halves(0, n), x = try l.floats(1, n)
            for i in 0..<n {
                let u = x[i].bitPattern
                out[i] = (u & 0x7fff_ffff) > 0x7f80_0000 ? UInt16(u >> 16) | 0x40 : UInt16((u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16)
            }
        },
        "sky_bf16_to_f32": { l throws(CUDAError) in
            let n = l.int(2), out = try l.floats(0, n), x = try l.halves(1, n)
            for i in 0..<n { out[i] = DType.float(bfloat16: x[i]) }
        },
        "sky_embedding_bf16": { l throws(CUDAError) in
            let n = l.int(3), c = l.int(4), o = try l.floats(0, n * c), ids = try l.ints(1, n)
            let vocab = (0..<n).map { Int(ids[$0]) }.max().map { $0 + 1 } ?? 0
            let table = try l.halves(2, vocab * c)
            for i in 0..<(n * c) { o[i] = DType.float(bfloat16: table[Int(ids[i / c]) * c + i % c]) }
        },
        "sky_dropout_mask": { l throws(CUDAError) in
            let n = l.int(3), out = try l.floats(0, n), seed = UInt64(bitPattern: Int64(l.int(1))), p = l.float(2)
            for i in 0..<n { out[i] = DropoutMask.value(seed: seed, index: i, probability: p) }
        },
        "sky_fill": { l throws(CUDAError) in
            let n = l.int(2), o = try l.floats(0, n), value = l.float(1)
            for i in 0..<n { o[i] = value }
        },
        "sky_scale": { l throws(CUDAError) in
            let n = l.int(2), o = try l.floats(0, n), factor = l.float(1)
            for i in 0..<n { o[i] *= factor }
        },
        "sky_add": { l throws(CUDAError) in
            let n = l.int(3), o = try l.floats(0, n), a = try l.floats(1, n), b = try l.floats(2, n)
            for i in 0..<n { o[i] = a[i] + b[i] }
        },
        "sky_add_backward": { l throws(CUDAError) in
            let n = l.int(3), da = try l.floats(0, n), db = try l.floats(1, n), d = try l.floats(2, n)
            for i in 0..<n { da[i] += d[i]; db[i] += d[i] }
        },
        "sky_multiply": { l throws(CUDAError) in
            let n = l.int(3), o = try l.floats(0, n), a = try l.floats(1, n), b = try l.floats(2, n)
            for i in 0..<n { o[i] = a[i] * b[i] }
        },
        "sky_swiglu": { l throws(CUDAError) in
            let n = l.int(3), o = try l.floats(0, n), g = try l.floats(1, n), u = try l.floats(2, n)
            for i in 0..<n { o[i] = g[i] / (1 + Foundation.exp(-g[i])) * u[i] }
        },
        "sky_swiglu_backward": { l throws(CUDAError) in
            let n = l.int(5), dg = try l.floats(0, n), du = try l.floats(1, n), d = try l.floats(2, n)
            let g = try l.floats(3, n), u = try l.floats(4, n)
            for i in 0..<n {
                let x = g[i], s = 1 / (1 + Foundation.exp(-x))
                dg[i] += d[i] * u[i] * s * (1 + x * (1 - s))
                du[i] += d[i] * x * s
            }
        },
        "sky_broadcast_rows": { l throws(CUDAError) in
            let rows = l.int(2), cols = l.int(3), o = try l.floats(0, rows * cols), b = try l.floats(1, cols)
            for i in 0..<(rows * cols) { o[i] = b[i % cols] }
        },
        "sky_column_sum": { l throws(CUDAError) in
            let rows = l.int(2), cols = l.int(3), db = try l.floats(0, cols), d = try l.floats(1, rows * cols)
            for c in 0..<l.columnsReached(cols) {
                var s: Float = 0
                for r in 0..<rows { s += d[r * cols + c] }
                db[c] += s
            }
        },
        "sky_embedding": { l throws(CUDAError) in
            let n = l.int(3), c = l.int(4), o = try l.floats(0, n * c), ids = try l.ints(1, n)
            let vocab = (0..<n).map { Int(ids[$0]) }.max().map { $0 + 1 } ?? 0
            let table = try l.floats(2, vocab * c)
            for i in 0..<(n * c) { o[i] = table[Int(ids[i / c]) * c + i % c] }
        },
        "sky_embedding_backward": { l throws(CUDAError) in
            let n = l.int(3), c = l.int(4), ids = try l.ints(2, n), d = try l.floats(1, n * c)
            let vocab = (0..<n).map { Int(ids[$0]) }.max().map { $0 + 1 } ?? 0
            let table = try l.floats(0, vocab * c)
            for col in 0..<l.columnsReached(c) {
                for r in 0..<n { table[Int(ids[r]) * c + col] += d[r * c + col] }
            }
        },
        "sky_rmsnorm": { l throws(CUDAError) in
            let rows = l.int(4), c = l.int(5), eps = l.float(3)
            let o = try l.floats(0, rows * c), x = try l.floats(1, rows * c), w = try l.floats(2, c)
            for r in 0..<l.rowsReached(rows) {
                var s: Float = 0
                for i in 0..<c { s += x[r * c + i] * x[r * c + i] }
                let inv = 1 / (s / Float(c) + eps).squareRoot()
                for i in 0..<c { o[r * c + i] = w[i] * (x[r * c + i] * inv) }
            }
        },
        "sky_rmsnorm_backward": { l throws(CUDAError) in
            let rows = l.int(6), c = l.int(7), eps = l.float(5)
            let di = try l.floats(0, rows * c), rstd = try l.floats(1, rows), d = try l.floats(2, rows * c)
            let x = try l.floats(3, rows * c), w = try l.floats(4, c)
            for row in 0..<l.rowsReached(rows) {
                var s: Float = 0
                for i in 0..<c { s += x[row * c + i] * x[row * c + i] }
                let r = 1 / (s / Float(c) + eps).squareRoot()
                var dot: Float = 0
                for i in 0..<c { dot += d[row * c + i] * w[i] * x[row * c + i] * r }
                let mean = dot / Float(c)
                for i in 0..<c { di[row * c + i] += r * (d[row * c + i] * w[i] - x[row * c + i] * r * mean) }
                rstd[row] = r
            }
        },
        "sky_rmsnorm_weight_backward": { l throws(CUDAError) in
            let rows = l.int(4), c = l.int(5)
            let dw = try l.floats(0, c), rstd = try l.floats(1, rows), d = try l.floats(2, rows * c), x = try l.floats(3, rows * c)
            for col in 0..<l.columnsReached(c) {
                var s: Float = 0
                for r in 0..<rows { s += d[r * c + col] * x[r * c + col] * rstd[r] }
                dw[col] += s
            }
        },
        "sky_rope": { l throws(CUDAError) in try rope(l, backward: false) },
        "sky_rope_backward": { l throws(CUDAError) in try rope(l, backward: true) },
        "sky_softmax": { l throws(CUDAError) in
            let rows = l.int(2), width = l.int(3), causal = l.int(4) != 0, offset = l.int(5)
            let o = try l.floats(0, rows * width), x = try l.floats(1, rows * width)
            for r in 0..<l.rowsReached(rows) {
                let visible = causal ? min(width, max(0, r + offset + 1)) : width
                var m = -Float.infinity
                for i in 0..<visible { m = max(m, x[r * width + i]) }
                var s: Float = 0
                for i in 0..<visible { s += Foundation.exp(x[r * width + i] - m) }
                for i in 0..<width { o[r * width + i] = i < visible ? Foundation.exp(x[r * width + i] - m) / s : 0 }
            }
        },
        "sky_attention": { l throws(CUDAError) in
            let a = try Attention(l, firstSize: 4)
            let out = try l.floats(0, a.queries * a.qWidth), q = try l.floats(1, a.queries * a.qWidth)
            let k = try l.floats(2, a.keys * a.kvWidth), v = try l.floats(3, a.keys * a.kvWidth)
            for t in 0..<min(a.queries, l.warpsReached) {
                for h in 0..<min(a.heads, l.grid.y) {
                    let p = a.probabilities(q: q, k: k, t: t, h: h)
                    let g = h / a.group
                    for e in 0..<a.headDim {
                        var acc: Float = 0
                        for s in 0..<p.count { acc += p[s] * v[s * a.kvWidth + g * a.headDim + e] }
                        out[t * a.qWidth + h * a.headDim + e] = acc
                    }
                }
            }
        },
        "sky_attention_backward_query": { l throws(CUDAError) in
            let a = try Attention(l, firstSize: 7)
            let dq = try l.floats(0, a.queries * a.qWidth), lse = try l.floats(1, a.queries * a.heads)
            let delta = try l.floats(2, a.queries * a.heads), dout = try l.floats(3, a.queries * a.qWidth)
            let q = try l.floats(4, a.queries * a.qWidth), k = try l.floats(5, a.keys * a.kvWidth), v = try l.floats(6, a.keys * a.kvWidth)
            for t in 0..<min(a.queries, l.warpsReached) {
                for h in 0..<min(a.heads, l.grid.y) {
                    let g = h / a.group, scores = a.scores(q: q, k: k, t: t, h: h)
                    let m = scores.max() ?? 0
                    let sum = scores.reduce(Float(0)) { $0 + Foundation.exp($1 - m) }
                    let p = scores.map { Foundation.exp($0 - m) / sum }
                    let dp = (0..<p.count).map { s in
                        (0..<a.headDim).reduce(Float(0)) { $0 + dout[t * a.qWidth + h * a.headDim + $1] * v[s * a.kvWidth + g * a.headDim + $1] }
                    }
                    let pd = zip(p, dp).reduce(Float(0)) { $0 + $1.0 * $1.1 }
                    for e in 0..<a.headDim {
                        var acc: Float = 0
                        for s in 0..<p.count { acc += p[s] * (dp[s] - pd) * k[s * a.kvWidth + g * a.headDim + e] }
                        dq[t * a.qWidth + h * a.headDim + e] += a.scale * acc
                    }
                    lse[t * a.heads + h] = m + Foundation.log(sum)
                    delta[t * a.heads + h] = pd
                }
            }
        },
        "sky_attention_backward_kv": { l throws(CUDAError) in
            let a = try Attention(l, firstSize: 8)
            guard l.block.x == 32 else { throw l.driver.problem("\(l.name): one warp per block, launched with \(l.block)") }
            let dk = try l.floats(0, a.keys * a.kvWidth), dv = try l.floats(1, a.keys * a.kvWidth)
            let lse = try l.floats(2, a.queries * a.heads), delta = try l.floats(3, a.queries * a.heads)
            let dout = try l.floats(4, a.queries * a.qWidth), q = try l.floats(5, a.queries * a.qWidth)
            let k = try l.floats(6, a.keys * a.kvWidth), v = try l.floats(7, a.keys * a.kvWidth)
            let past = a.keys - a.queries
            for s in 0..<min(a.keys, l.grid.x) {
                for g in 0..<min(a.kvHeads, l.grid.y) {
                    var accK = [Float](repeating: 0, count: a.headDim), accV = accK
                    for j in 0..<a.group {
                        let h = g * a.group + j
                        for t in max(0, s - past)..<a.queries {
                            var dot: Float = 0, dpv: Float = 0
                            for f in 0..<a.headDim {
                                dot += q[t * a.qWidth + h * a.headDim + f] * k[s * a.kvWidth + g * a.headDim + f]
                                dpv += dout[t * a.qWidth + h * a.headDim + f] * v[s * a.kvWidth + g * a.headDim + f]
                            }
                            let p = Foundation.exp(dot * a.scale - lse[t * a.heads + h])
                            for e in 0..<a.headDim {
                                accV[e] += p * dout[t * a.qWidth + h * a.headDim + e]
                                accK[e] += p * (dpv - delta[t * a.heads + h]) * q[t * a.qWidth + h * a.headDim + e]
                            }
                        }
                    }
                    for e in 0..<a.headDim {
                        dv[s * a.kvWidth + g * a.headDim + e] += accV[e]
                        dk[s * a.kvWidth + g * a.headDim + e] += a.scale * accK[e]
                    }
                }
            }
        },
        "sky_cross_entropy": { l throws(CUDAError) in
            let rows = l.int(3), vocab = l.int(4)
            let losses = try l.floats(0, rows), x = try l.floats(1, rows * vocab), targets = try l.ints(2, rows)
            for r in 0..<l.rowsReached(rows) {
                let target = Int(targets[r])
                if target == -100 { losses[r] = 0; continue }
                let row = UnsafeBufferPointer(start: x + r * vocab, count: vocab)
                let m = row.max() ?? 0
                let s = row.reduce(0.0) { $0 + Double(Foundation.exp($1 - m)) }
                losses[r] = Float(Foundation.log(s)) + m - row[target]
            }
        },
        "sky_cross_entropy_backward": { l throws(CUDAError) in
            let rows = l.int(4), vocab = l.int(5)
            let dx = try l.floats(0, rows * vocab), dl = try l.floats(1, rows), x = try l.floats(2, rows * vocab)
            let targets = try l.ints(3, rows)
            for r in 0..<l.rowsReached(rows) {
                let target = Int(targets[r])
                if target == -100 { continue }
                let row = UnsafeBufferPointer(start: x + r * vocab, count: vocab)
                let m = row.max() ?? 0
                let s = row.reduce(0.0) { $0 + Double(Foundation.exp($1 - m)) }
                let g = dl[r], factor = g * Float(1 / s)
                for i in 0..<vocab { dx[r * vocab + i] += factor * Foundation.exp(row[i] - m) }
                dx[r * vocab + target] -= g
            }
        },
        "sky_argmax": { l throws(CUDAError) in
            let rows = l.int(2), vocab = l.int(3), out = try l.ints(0, rows), x = try l.floats(1, rows * vocab)
            for r in 0..<l.rowsReached(rows) {
                var best = 0
                for i in 0..<vocab where x[r * vocab + i] > x[r * vocab + best] { best = i }
                out[r] = Int32(best)
            }
        },
        "sky_sample": { l throws(CUDAError) in
            let rows = l.int(4), vocab = l.int(5), temperature = l.float(6), topK = l.int(7), topP = l.float(8)
            let out = try l.ints(0, rows), probabilities = try l.floats(1, rows * vocab), x = try l.floats(2, rows * vocab)
            let draws = try l.doubles(3, rows)
            for r in 0..<l.rowsReached(rows) {
                let scores = (0..<vocab).map { x[r * vocab + $0] / temperature }
                let m = scores.max() ?? 0
                let tau = topK > 0 && topK < vocab ? scores.sorted(by: >)[topK - 1] : -Float.infinity
                var p = scores.map { $0 >= tau ? Foundation.exp($0 - m) : 0 }
                var total = p.reduce(0.0) { $0 + Double($1) }
                if topP < 1 {
                    var lo: Float = 0, hi: Float = 1
                    for _ in 0..<32 {
                        let mid = 0.5 * (lo + hi)
                        let above = p.reduce(0.0) { $0 + ($1 > mid ? Double($1) : 0) }
                        if above >= Double(topP) * total { lo = mid } else { hi = mid }
                    }
                    p = p.map { $0 <= lo ? 0 : $0 }
                    total = p.reduce(0.0) { $0 + Double($1) }
                }
                for i in 0..<vocab { probabilities[r * vocab + i] = p[i] }
                var remaining = draws[r] * total, pick = -1, last = 0
                for (i, e) in p.enumerated() where e > 0 {
                    last = i
                    remaining -= Double(e)
                    if remaining < 0 { pick = i; break }
                }
                out[r] = Int32(pick >= 0 ? pick : last)
            }
        },
        "sky_sum_of_squares": { l throws(CUDAError) in
            let n = l.int(2), partials = try l.doubles(0, l.grid.x), x = try l.floats(1, n)
            let stride = l.grid.x * l.block.x
            for b in 0..<l.grid.x {
                var s = 0.0
                for thread in 0..<l.block.x {
                    var i = b * l.block.x + thread
                    while i < n { s += Double(x[i]) * Double(x[i]); i += stride }
                }
                partials[b] = s
            }
        },
        "sky_adamw": { l throws(CUDAError) in
            let n = l.int(4)
            let p = try l.floats(0, n), m = try l.floats(1, n), v = try l.floats(2, n), g = try l.floats(3, n)
            let decay = l.float(5), beta1 = l.float(6), beta2 = l.float(7), eps = l.float(8)
            let stepSize = l.float(9), correction2Root = l.float(10)
            for i in 0..<n {
                p[i] *= decay
                m[i] += (g[i] - m[i]) * (1 - beta1)
                v[i] = v[i] * beta2 + (1 - beta2) * g[i] * g[i]
                let denom = v[i].squareRoot() / correction2Root + eps
                p[i] -= stepSize * m[i] / denom
            }
        },
    ]

    private static func rope(_ l: FakeLaunch, backward: Bool) throws(CUDAError) {
        let rows = l.int(5), width = l.int(6), headDim = l.int(7), half = headDim / 2
        let o = try l.floats(0, rows * width), x = try l.floats(1, rows * width), positions = try l.ints(2, rows)
        let tableRows = (0..<rows).map { Int(positions[$0]) }.max().map { $0 + 1 } ?? 0
        let cosTable = try l.floats(3, tableRows * half), sinTable = try l.floats(4, tableRows * half)
        for r in 0..<rows {
            for head in 0..<(width / headDim) {
                let base = r * width + head * headDim
                for i in 0..<half {
                    let at = Int(positions[r]) * half + i, c = cosTable[at], s = sinTable[at]
                    let a = x[base + i], b = x[base + i + half]
                    if backward {
                        o[base + i] += a * c + b * s
                        o[base + i + half] += b * c - a * s
                    } else {
                        o[base + i] = a * c - b * s
                        o[base + i + half] = b * c + a * s
                    }
                }
            }
        }
    }

    /// The sizes every attention kernel takes after its pointers.
    struct Attention {
        let queries: Int, keys: Int, heads: Int, kvHeads: Int, headDim: Int, scale: Float
        var group: Int { heads / kvHeads }
        var qWidth: Int { heads * headDim }
        var kvWidth: Int { kvHeads * headDim }

        init(_ l: FakeLaunch, firstSize i: Int) throws(CUDAError) {
            queries = l.int(i)
            keys = l.int(i + 1)
            heads = l.int(i + 2)
            kvHeads = l.int(i + 3)
            headDim = l.int(i + 4)
            scale = l.float(i + 5)
            guard kvHeads > 0, heads % kvHeads == 0, keys >= queries else {
                throw l.driver.problem("\(l.name): \(heads) heads over \(kvHeads) kv heads, \(queries) queries over \(keys) keys")
            }
        }

        /// scale · q_t,h · k_s for the keys query t sees.
        func scores(q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, t: Int, h: Int) -> [Float] {
            let g = h / group, visible = keys - queries + t + 1
            return (0..<visible).map { s in
                (0..<headDim).reduce(Float(0)) { $0 + q[t * qWidth + h * headDim + $1] * k[s * kvWidth + g * headDim + $1] } * scale
            }
        }

        /// The softmax of `scores`.
        func probabilities(q: UnsafeMutablePointer<Float>, k: UnsafeMutablePointer<Float>, t: Int, h: Int) -> [Float] {
            let scores = scores(q: q, k: k, t: t, h: h)
            let m = scores.max() ?? 0
            let e = scores.map { Foundation.exp($0 - m) }
            let sum = e.reduce(0, +)
            return e.map { $0 / sum }
        }
    }
}
