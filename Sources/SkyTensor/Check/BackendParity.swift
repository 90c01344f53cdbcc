import Foundation

/// Every op of the `Backend` protocol, forward and backward, run on a candidate backend and on the BLAS backend with
/// the same inputs, compared within a float32 bound. The CUDA backend is validated this way on a fake driver in the
/// tests and on a real GPU by `skyctl bench parity` (scripts/gpu/selftest.sh).
public enum BackendParity {
    /// Problem sizes: `small` for fast tests, `large` to reach multi-block paths on a device (rows past a grid's
    /// first wave, rows wider than a block, a real vocabulary, a long attention window).
    public enum Size: String, Sendable, CaseIterable {
        case small, large
    }

    /// One check: a name, the longest sum its outputs involve (for the bound), and the work on a backend.
    public struct Check: Sendable {
        /// What is checked, e.g. "attention 3 queries over 8 keys".
        public let name: String
        /// Terms in the longest sum behind an output.
        public let terms: Int
        /// The outputs of the check's ops on a backend, flattened.
        public let run: @Sendable (any Backend) -> [Float]
    }

    /// A check's result on one backend pair.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The check's name.
        public let name: String
        /// Largest |reference − candidate| over the outputs, and the bound it must stay within.
        public let difference: Double, bound: Double
        /// Outputs the candidate left NaN (memory it never wrote) or whose count differed.
        public let problems: [String]

        /// Whether the candidate agrees with the reference.
        public var passed: Bool { problems.isEmpty && difference <= bound }

        /// "ok   rmsNorm width 300: 1.2e-07 ≤ 3.4e-06".
        public var description: String {
            "\(passed ? "ok  " : "FAIL") \(name): \(String(format: "%.3g", difference)) ≤ \(String(format: "%.3g", bound))"
                + (problems.isEmpty ? "" : " — " + problems.joined(separator: "; "))
        }
    }

    /// Runs `check` on both backends. The bound is 4·γ(terms + 16) relative to the reference's scale (at least 1):
    /// float32 sums of `terms` terms in different orders, with exp and sqrt from different libraries.
    public static func compare(_ check: Check, reference: any Backend, candidate: any Backend) -> Outcome {
        let expected = check.run(reference), actual = check.run(candidate)
        var problems: [String] = []
        if expected.count != actual.count { problems.append("\(actual.count) values, expected \(expected.count)") }
        let nans = actual.filter(\.isNaN).count
        if nans > 0 { problems.append("\(nans) NaN values") }
        do { try candidate.checkForFailure() } catch { problems.append("backend failure: \(error)") }
        let scale = max(1, expected.reduce(0) { max($0, Double(abs($1))) })
        let difference = zip(expected, actual).reduce(0) { max($0, Double(abs($1.0 - $1.1))) }
        let n = Double(check.terms + 16) * 0x1p-24
        return Outcome(name: check.name, difference: difference, bound: 4 * n / (1 - n) * scale, problems: problems)
    }

    /// Every check at `size`. With `bf16Products`, the operands of products are values bfloat16 holds exactly, so a
    /// backend that rounds them to bf16 (tensor cores) computes the same exact products as BLAS and stays within the
    /// same float32 bound: what is checked is everything but that rounding.
    public static func checks(_ size: Size, bf16Products: Bool = false) -> [Check] {
        let large = size == .large
        func round(_ values: [Float]) -> [Float] { bf16Products ? values.map { roundedToBFloat16($0) } : values }
        var list: [Check] = []
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            list.append(matmul(m: large ? 300 : 7, k: large ? 513 : 13, n: large ? 257 : 5, transposeA: ta, transposeB: tb, round: round))
        }
        list.append(contentsOf: [false, true].map {
            linear(rows: large ? 333 : 6, c: large ? 320 : 9, oc: large ? 96 : 4, bias: $0, round: round)
        })
        list.append(bf16Weights(rows: large ? 333 : 6, c: large ? 320 : 9, oc: large ? 96 : 4, vocab: large ? 5000 : 11))
        list.append(embedding(vocab: large ? 5000 : 11, c: large ? 320 : 40, ids: large ? (0..<700).map { Int32($0 * 37 % 5000) } : [3, 0, 10, 3, 7, 3]))
        list.append(contentsOf: (large ? [7, 300, 1500] : [7, 300]).map { rmsNorm(rows: large ? 1200 : 5, width: $0) })
        list.append(rope(rows: large ? 1024 : 4, heads: large ? 7 : 3, headDim: large ? 64 : 8))
        list.append(elementwise(rows: large ? 1000 : 10, width: large ? 4864 : 100))
        list.append(contentsOf: ([nil, 0, 3, -2] as [Int?]).map { softmax(rows: large ? 600 : 6, width: large ? 1100 : 70, offset: $0) })
        // Long windows too: decode over a 16,000-token cache, and prefill past any one block's shared memory.
        let windows = large ? [(1, 700), (128, 128), (40, 1000), (1, 16_000), (64, 9_000)] : [(5, 5), (1, 9), (3, 8), (2, 40)]
        list.append(contentsOf: windows.map { attention(queries: $0.0, keys: $0.1, heads: large ? 14 : 4, kvHeads: 2, headDim: large ? 64 : 16) })
        list.append(crossEntropy(rows: large ? 64 : 5, vocab: large ? 32_000 : 300))
        list.append(argmax(rows: large ? 64 : 5, vocab: large ? 151_936 : 300))
        list.append(contentsOf: [TokenSampling(temperature: 1), TokenSampling(temperature: 0.7, topK: 50),
                                 TokenSampling(temperature: 1.3, topP: 0.9), TokenSampling(temperature: 0.8, topK: 20, topP: 0.95)].map {
            sample(rows: large ? 64 : 6, vocab: large ? 151_936 : 300, $0)
        })
        list.append(adamW(count: large ? 1_000_003 : 777))
        list.append(Check(name: "dropout masks p 0.1 and 0.5", terms: 1) { be in
            let a = be.zeros([large ? 4096 : 37, 896]), b = be.zeros([3, 5])
            be.dropoutMask(a, probability: 0.1, seed: 0xDEAD_BEEF_0123_4567)
            be.dropoutMask(b, probability: 0.5, seed: 42)
            return be.toArray(a) + be.toArray(b)
        })
        return list
    }

    /// Uniform values in [−scale, scale) from a xorshift stream: the same inputs on every backend and host.
    public static func random(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return (Float(state >> 40) / Float(1 << 24) * 2 - 1) * scale
        }
    }

    /// The bfloat16 nearest to `value` (ties to even), as a float32.
    public static func roundedToBFloat16(_ value: Float) -> Float {
        let u = value.bitPattern
        guard (u & 0x7fff_ffff) <= 0x7f80_0000 else { return value }
        return Float(bitPattern: ((u &+ 0x7fff &+ ((u >> 16) & 1)) >> 16) << 16)
    }

    static func matmul(m: Int, k: Int, n: Int, transposeA: Bool, transposeB: Bool, round: ([Float]) -> [Float]) -> Check {
        let a = round(random(m * k, seed: 1)), b = round(random(k * n, seed: 2)), c = random(m * n, seed: 3)
        return Check(name: "matmul \(m)×\(k)·\(k)×\(n) transposeA \(transposeA) transposeB \(transposeB)", terms: k) { be in
            let out = be.tensor(c, shape: [m, n])
            be.matmul(out, be.tensor(a, shape: transposeA ? [k, m] : [m, k]), be.tensor(b, shape: transposeB ? [n, k] : [k, n]),
                      transposeA: transposeA, transposeB: transposeB, alpha: 0.5, beta: 2)
            return be.toArray(out)
        }
    }

    static func linear(rows: Int, c: Int, oc: Int, bias: Bool, round: ([Float]) -> [Float]) -> Check {
        let x = round(random((rows + 2) * c, seed: 4)), w = round(random(oc * c, seed: 5)), b = random(oc, seed: 6)
        let dout = round(random(rows * oc, seed: 7))
        return Check(name: "linear \(rows)×\(c)→\(oc) bias \(bias), backward, on a row view", terms: max(c, rows, oc)) { be in
            // The input is a view two rows into a larger tensor: offsets must reach the kernels and the products.
            let input = be.tensor(x, shape: [rows + 2, c]).rows(2..<(rows + 2))
            let weight = be.tensor(w, shape: [oc, c])
            let out = be.zeros([rows, oc])
            be.linear(out, input, weight, bias: bias ? be.tensor(b, shape: [oc]) : nil)
            let dinput = be.tensor(random(rows * c, seed: 8), shape: [rows, c])
            let dweight = be.tensor(random(oc * c, seed: 9), shape: [oc, c])
            let dbias = be.tensor(random(oc, seed: 10), shape: [oc])
            be.linearBackward(dinput, dweight, bias ? dbias : nil, dout: be.tensor(dout, shape: [rows, oc]), input: input, weight: weight)
            return be.toArray(out) + be.toArray(dinput) + be.toArray(dweight) + be.toArray(dbias)
        }
    }

    /// bfloat16 weights (as a bf16 checkpoint loads them): linear and its input gradient, embedding, copy and toArray.
    /// The other operands are bf16 values too, so every product is exact on both sides.
    static func bf16Weights(rows: Int, c: Int, oc: Int, vocab: Int) -> Check {
        let x = random(rows * c, seed: 40).map(roundedToBFloat16), dout = random(rows * oc, seed: 41).map(roundedToBFloat16)
        func bits(_ count: Int, seed: UInt64) -> [UInt16] {
            random(count, seed: seed).map { UInt16(roundedToBFloat16($0).bitPattern >> 16) }
        }
        let w = bits(oc * c, seed: 42), table = bits(vocab * c, seed: 43)
        let ids = (0..<rows).map { Int32(($0 * 7) % vocab) }
        return Check(name: "bf16 weights: linear \(rows)×\(c)→\(oc) and its input gradient, embedding of \(vocab)×\(c), copy",
                     terms: max(c, oc)) { be in
            let weight = w.withUnsafeBufferPointer { be.tensor(bfloat16: $0, shape: [oc, c], owner: nil) }
            let embeddings = table.withUnsafeBufferPointer { be.tensor(bfloat16: $0, shape: [vocab, c], owner: nil) }
            let input = be.tensor(x, shape: [rows, c])
            let out = be.zeros([rows, oc])
            be.linear(out, input, weight, bias: nil)
            let dinput = be.zeros([rows, c])
            be.linearBackward(dinput, nil, nil, dout: be.tensor(dout, shape: [rows, oc]), input: input, weight: weight)
            let gathered = be.zeros([rows, c])
            be.embedding(gathered, ids: ids, table: embeddings)
            let widened = be.zeros([oc, c])
            be.copy(widened, weight)
            return be.toArray(out) + be.toArray(dinput) + be.toArray(gathered) + be.toArray(widened) + be.toArray(weight.rows(1..<2))
        }
    }

    static func embedding(vocab: Int, c: Int, ids: [Int32]) -> Check {
        let table = random(vocab * c, seed: 11), dout = random(ids.count * c, seed: 12)
        return Check(name: "embedding \(ids.count) ids of \(vocab)×\(c), backward with repeats", terms: ids.count) { be in
            let out = be.zeros([ids.count, c])
            be.embedding(out, ids: ids, table: be.tensor(table, shape: [vocab, c]))
            let dtable = be.tensor(table, shape: [vocab, c])
            be.embeddingBackward(dtable, dout: be.tensor(dout, shape: [ids.count, c]), ids: ids)
            return be.toArray(out) + be.toArray(dtable)
        }
    }

    static func rmsNorm(rows: Int, width: Int) -> Check {
        let x = random(rows * width, seed: 13), w = random(width, seed: 14), dout = random(rows * width, seed: 15)
        return Check(name: "rmsNorm \(rows)×\(width), backward", terms: max(2 * width, rows)) { be in
            let input = be.tensor(x, shape: [rows, width]), weight = be.tensor(w, shape: [width])
            let out = be.zeros([rows, width])
            be.rmsNorm(out, input, weight: weight, eps: 1e-6)
            let dinput = be.tensor(random(rows * width, seed: 16), shape: [rows, width])
            let dweight = be.tensor(random(width, seed: 17), shape: [width])
            be.rmsNormBackward(dinput, dweight, dout: be.tensor(dout, shape: [rows, width]), input: input, weight: weight, eps: 1e-6)
            return be.toArray(out) + be.toArray(dinput) + be.toArray(dweight)
        }
    }

    static func rope(rows: Int, heads: Int, headDim: Int) -> Check {
        let width = heads * headDim, table = rows + 2
        let positions = (0..<rows).map { Int32(($0 * 5 + 2) % table) }
        let cos = (0..<(table * headDim / 2)).map { Foundation.cos(Float($0) * 0.1) }
        let sin = (0..<(table * headDim / 2)).map { Foundation.sin(Float($0) * 0.1) }
        let x = random(rows * width, seed: 18), dout = random(rows * width, seed: 19)
        return Check(name: "rope \(rows)×\(heads)×\(headDim) in place, backward", terms: 2) { be in
            let c = be.tensor(cos, shape: [table, headDim / 2]), s = be.tensor(sin, shape: [table, headDim / 2])
            let t = be.tensor(x, shape: [rows, width])
            be.rope(t, t, positions: positions, cos: c, sin: s, headDim: headDim)
            let dinput = be.tensor(random(rows * width, seed: 20), shape: [rows, width])
            be.ropeBackward(dinput, dout: be.tensor(dout, shape: [rows, width]), positions: positions, cos: c, sin: s, headDim: headDim)
            return be.toArray(t) + be.toArray(dinput)
        }
    }

    static func elementwise(rows: Int, width: Int) -> Check {
        let n = rows * width
        let a = random(n, seed: 21, scale: 4), b = random(n, seed: 22), d = random(n, seed: 23)
        return Check(name: "swiglu, add, multiply, fill, scale, copy, sumOfSquares over \(rows)×\(width), backwards", terms: n) { be in
            let shape = [rows, width]
            let ta = be.tensor(a, shape: shape), tb = be.tensor(b, shape: shape), td = be.tensor(d, shape: shape)
            let out = be.zeros(shape)
            be.swiglu(out, gate: ta, up: tb)
            let dgate = be.tensor(b, shape: shape), dup = be.tensor(a, shape: shape)
            be.swigluBackward(dgate, dup, dout: td, gate: ta, up: tb)
            let sum = be.zeros(shape)
            be.add(sum, ta, tb)
            be.add(sum, sum, td)
            let da = be.tensor(d, shape: shape), db = be.zeros(shape)
            be.addBackward(da, db, dout: tb)
            let product = be.zeros(shape)
            be.multiply(product, ta, tb)
            be.scale(product, by: -0.75)
            let filled = be.zeros([3, 7])
            be.fill(filled, 2.5)
            let copied = be.zeros(shape)
            be.copy(copied.rows(0..<(rows / 2)), ta.rows((rows - rows / 2)..<rows))
            return be.toArray(out) + be.toArray(dgate) + be.toArray(dup) + be.toArray(sum) + be.toArray(da) + be.toArray(db)
                + be.toArray(product) + be.toArray(filled) + be.toArray(copied) + [Float(be.sumOfSquares(ta) / Double(n))]
        }
    }

    static func softmax(rows: Int, width: Int, offset: Int?) -> Check {
        let x = random(rows * width, seed: 24, scale: 5)
        return Check(name: "softmax \(rows)×\(width) causal offset \(offset.map(String.init) ?? "none")", terms: width) { be in
            let out = be.zeros([rows, width])
            be.softmax(out, be.tensor(x, shape: [rows, width]), causalOffset: offset)
            return be.toArray(out)
        }
    }

    static func attention(queries: Int, keys: Int, heads: Int, kvHeads: Int, headDim: Int) -> Check {
        let q = random(queries * heads * headDim, seed: 25), k = random(keys * kvHeads * headDim, seed: 26)
        let v = random(keys * kvHeads * headDim, seed: 27), dout = random(queries * heads * headDim, seed: 28)
        let qShape = [queries, heads * headDim], kvShape = [keys, kvHeads * headDim]
        return Check(name: "attention \(queries) queries over \(keys) keys, \(heads)/\(kvHeads) heads of \(headDim), backward",
                     terms: keys + headDim) { be in
            let tq = be.tensor(q, shape: qShape), tk = be.tensor(k, shape: kvShape), tv = be.tensor(v, shape: kvShape)
            let out = be.zeros(qShape)
            be.attention(out, q: tq, k: tk, v: tv, heads: heads, kvHeads: kvHeads, headDim: headDim)
            let dq = be.tensor(random(q.count, seed: 29), shape: qShape)
            let dk = be.tensor(random(k.count, seed: 30), shape: kvShape), dv = be.tensor(random(v.count, seed: 31), shape: kvShape)
            be.attentionBackward(dq, dk, dv, dout: be.tensor(dout, shape: qShape), q: tq, k: tk, v: tv,
                                 heads: heads, kvHeads: kvHeads, headDim: headDim)
            return be.toArray(out) + be.toArray(dq) + be.toArray(dk) + be.toArray(dv)
        }
    }

    static func crossEntropy(rows: Int, vocab: Int) -> Check {
        let targets = (0..<rows).map { $0 % 4 == 1 ? Int32(-100) : Int32(($0 * 7919) % vocab) }
        let logits = random(rows * vocab, seed: 32, scale: 6), dlosses = random(rows, seed: 33)
        // The exponentials are summed in double on both backends: what differs is each exp's last bit.
        return Check(name: "crossEntropy \(rows)×\(vocab) with ignored targets, backward", terms: 16) { be in
            let x = be.tensor(logits, shape: [rows, vocab])
            let losses = be.zeros([rows])
            be.crossEntropy(losses, logits: x, targets: targets)
            let dx = be.tensor(random(rows * vocab, seed: 34), shape: [rows, vocab])
            be.crossEntropyBackward(dx, dlosses: be.tensor(dlosses, shape: [rows]), logits: x, targets: targets)
            return be.toArray(losses) + be.toArray(dx)
        }
    }

    static func argmax(rows: Int, vocab: Int) -> Check {
        var logits = random(rows * vocab, seed: 39, scale: 8)
        // A tie in the last row: the first of equal maxima wins, as torch.argmax.
        logits[(rows - 1) * vocab + 7] = 100
        logits[(rows - 1) * vocab + vocab - 3] = 100
        let values = logits
        return Check(name: "argmax \(rows)×\(vocab) with a tie", terms: 1) { be in
            be.argmax(be.tensor(values, shape: [rows, vocab])).map(Float.init)
        }
    }

    /// Tokens drawn with fixed draws: the same token on every backend (the draws are uniform, so one landing within
    /// float32 rounding of a boundary between two tokens has probability about 1e-7 per row).
    static func sample(rows: Int, vocab: Int, _ sampling: TokenSampling) -> Check {
        let logits = random(rows * vocab, seed: 44, scale: 6)
        let draws = random(rows, seed: 45).map { Double($0 + 1) / 2 }
        return Check(name: "sample \(rows)×\(vocab), temperature \(sampling.temperature) top-k \(sampling.topK) top-p \(sampling.topP)",
                     terms: 1) { be in
            be.sample(be.tensor(logits, shape: [rows, vocab]), sampling, draws: draws).map(Float.init)
        }
    }

    static func adamW(count n: Int) -> Check {
        let p = random(n, seed: 35), m = random(n, seed: 36, scale: 0.1), v = random(n, seed: 37).map { $0 * $0 }, g = random(n, seed: 38)
        return Check(name: "adamW 3 steps over \(n) with decay", terms: 8) { be in
            let tp = be.tensor(p, shape: [n]), tm = be.tensor(m, shape: [n]), tv = be.tensor(v, shape: [n])
            let grads = be.tensor(g, shape: [n])
            for step in 1...3 { be.adamW(tp, tm, tv, grads: grads, hyper: AdamWHyper(lr: 1e-2, weightDecay: 0.1), step: step) }
            return be.toArray(tp) + be.toArray(tm) + be.toArray(tv)
        }
    }
}
