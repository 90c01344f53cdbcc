import Foundation
import SkyTensor
import Testing

/// Attention and cross-entropy backward against central differences of their Float64 references.
@Suite struct AttentionGradientTests {
    let backend = BLASBackend(threads: 2)
    typealias Check = GradientCheck

    // Training (T = S), and queries after past keys (T < S), both with GQA (2 query heads per kv head).
    @Test(arguments: [(5, 5), (3, 7)])
    func attentionBackwardMatchesCentralDifferences(t: Int, s: Int) {
        let heads = 4, kvHeads = 2, hd = 4, qw = heads * hd, kw = kvHeads * hd
        let q = NaiveReference.random(t * qw, seed: 30), k = NaiveReference.random(s * kw, seed: 31)
        let v = NaiveReference.random(s * kw, seed: 32), dout = NaiveReference.random(t * qw, seed: 33)
        let pq = Check.prior(t * qw, seed: 34), pk = Check.prior(s * kw, seed: 35), pv = Check.prior(s * kw, seed: 36)
        let dq = backend.tensor(pq, shape: [t, qw]), dk = backend.tensor(pk, shape: [s, kw]), dv = backend.tensor(pv, shape: [s, kw])
        backend.attentionBackward(dq, dk, dv, dout: backend.tensor(dout, shape: [t, qw]), q: backend.tensor(q, shape: [t, qw]),
                                  k: backend.tensor(k, shape: [s, kw]), v: backend.tensor(v, shape: [s, kw]),
                                  heads: heads, kvHeads: kvHeads, headDim: hd)
        let inputs = [q, k, v].map(Check.double), d = Check.double(dout)
        let f: ([[Double]]) -> [Double] = {
            DoubleReference.attention($0[0], $0[1], $0[2], t: t, s: s, heads: heads, kvHeads: kvHeads, hd: hd)
        }
        #expect(Check.relativeError(Check.added(backend.toArray(dq), pq), Check.numerical(inputs, wrt: 0, dout: d, f)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(dk), pk), Check.numerical(inputs, wrt: 1, dout: d, f)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(dv), pv), Check.numerical(inputs, wrt: 2, dout: d, f)) < Check.tolerance)
    }

    /// Long enough for several query blocks (128 rows each), where a per-coordinate check would be slow: the
    /// gradient's dot product with a random direction u against the central difference of L along u.
    @Test func attentionBackwardOverSeveralQueryBlocksMatchesADirectionalDerivative() {
        let t = 300, s = 311, heads = 4, kvHeads = 2, hd = 8, qw = heads * hd, kw = kvHeads * hd
        let x = [NaiveReference.random(t * qw, seed: 50), NaiveReference.random(s * kw, seed: 51), NaiveReference.random(s * kw, seed: 52)]
        let u = [NaiveReference.random(t * qw, seed: 53), NaiveReference.random(s * kw, seed: 54), NaiveReference.random(s * kw, seed: 55)]
        let dout = NaiveReference.random(t * qw, seed: 56)
        let dq = backend.zeros([t, qw]), dk = backend.zeros([s, kw]), dv = backend.zeros([s, kw])
        backend.attentionBackward(dq, dk, dv, dout: backend.tensor(dout, shape: [t, qw]), q: backend.tensor(x[0], shape: [t, qw]),
                                  k: backend.tensor(x[1], shape: [s, kw]), v: backend.tensor(x[2], shape: [s, kw]),
                                  heads: heads, kvHeads: kvHeads, headDim: hd)
        let grads = [dq, dk, dv].map { backend.toArray($0) }
        let analytic = (0..<3).reduce(0.0) { sum, i in sum + zip(grads[i], u[i]).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
        func loss(_ step: Double) -> Double {
            let moved = (0..<3).map { i in zip(x[i], u[i]).map { Double($0) + step * Double($1) } }
            let out = DoubleReference.attention(moved[0], moved[1], moved[2], t: t, s: s, heads: heads, kvHeads: kvHeads, hd: hd)
            return zip(out, dout).reduce(0.0) { $0 + $1.0 * Double($1.1) }
        }
        let h = 1e-4, numerical = (loss(h) - loss(-h)) / (2 * h)
        #expect(abs(analytic - numerical) <= 1e-4 * abs(numerical), "\(analytic) vs \(numerical)")
    }

    @Test func crossEntropyBackwardMatchesCentralDifferencesAndIgnoresMaskedRows() {
        let n = 4, vocab = 7, targets: [Int32] = [3, -100, 0, 6]
        let logits = NaiveReference.random(n * vocab, seed: 37).map { $0 * 5 }
        let dlosses = NaiveReference.random(n, seed: 38)
        let prior = Check.prior(n * vocab, seed: 39)
        let dlogits = backend.tensor(prior, shape: [n, vocab])
        backend.crossEntropyBackward(dlogits, dlosses: backend.tensor(dlosses, shape: [n]), logits: backend.tensor(logits, shape: [n, vocab]),
                                     targets: targets)
        let numerical = Check.numerical([Check.double(logits)], wrt: 0, dout: Check.double(dlosses)) {
            DoubleReference.crossEntropy($0[0], targets: targets, vocab: vocab)
        }
        let added = Check.added(backend.toArray(dlogits), prior)
        #expect(Check.relativeError(added, numerical) < Check.tolerance)
        #expect(added[vocab..<(2 * vocab)].allSatisfy { $0 == 0 })
    }
}
