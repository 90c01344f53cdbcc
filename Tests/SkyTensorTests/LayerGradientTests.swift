import Foundation
import SkyTensor
import Testing

/// Every layer backward against central differences of its Float64 reference (see `GradientCheck`).
/// Gradient buffers start non-zero, so each test also proves the backward adds rather than overwrites.
///
/// These checks fail a broken backward: `GradientCheckSensitivityTests` feeds them a transposed dW, an RMSNorm
/// gradient without its 1/rms term and a forward-instead-of-transposed RoPE; and by hand, flipping the sin
/// signs in `ropeBackward` made `ropeBackwardIsTheTransposedRotation` report a relative error of 1.54
/// (tolerance 1e-4) and SkyTrain's whole-model check fail at dozens of probes.
@Suite struct LayerGradientTests {
    let backend = BLASBackend(threads: 2)
    typealias Check = GradientCheck

    @Test(arguments: [true, false])
    func linearBackwardMatchesCentralDifferences(withBias: Bool) {
        let n = 3, c = 5, oc = 4
        let x = NaiveReference.random(n * c, seed: 1), w = NaiveReference.random(oc * c, seed: 2)
        let b = NaiveReference.random(oc, seed: 3), dout = NaiveReference.random(n * oc, seed: 4)
        let px = Check.prior(n * c, seed: 5), pw = Check.prior(oc * c, seed: 6), pb = Check.prior(oc, seed: 7)
        let dx = backend.tensor(px, shape: [n, c]), dw = backend.tensor(pw, shape: [oc, c]), db = backend.tensor(pb, shape: [oc])
        backend.linearBackward(dx, dw, withBias ? db : nil, dout: backend.tensor(dout, shape: [n, oc]),
                               input: backend.tensor(x, shape: [n, c]), weight: backend.tensor(w, shape: [oc, c]))
        let inputs = [x, w, b].map(Check.double)
        let f: ([[Double]]) -> [Double] = { DoubleReference.linear($0[0], $0[1], withBias ? $0[2] : nil, n: n, c: c, oc: oc) }
        let d = Check.double(dout)
        #expect(Check.relativeError(Check.added(backend.toArray(dx), px), Check.numerical(inputs, wrt: 0, dout: d, f)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(dw), pw), Check.numerical(inputs, wrt: 1, dout: d, f)) < Check.tolerance)
        let expectedBias = withBias ? Check.numerical(inputs, wrt: 2, dout: d, f) : [Double](repeating: 0, count: oc)
        #expect(Check.relativeError(Check.added(backend.toArray(db), pb), expectedBias) < Check.tolerance)
    }

    @Test func linearBackwardSkipsNilGradients() {
        let dw = backend.zeros([2, 3])
        backend.linearBackward(nil, dw, nil, dout: backend.tensor([1, 2], shape: [1, 2]),
                               input: backend.tensor([1, 0, -1], shape: [1, 3]), weight: backend.zeros([2, 3]))
        #expect(backend.toArray(dw) == [1, 0, -1, 2, 0, -2])
    }

    @Test func embeddingBackwardAddsRepeatedIdsIntoOneRow() {
        let v = 4, c = 3, ids: [Int32] = [2, 0, 2, 3]
        let table = NaiveReference.random(v * c, seed: 8), dout = NaiveReference.random(ids.count * c, seed: 9)
        let prior = Check.prior(v * c, seed: 10)
        let dtable = backend.tensor(prior, shape: [v, c])
        backend.embeddingBackward(dtable, dout: backend.tensor(dout, shape: [ids.count, c]), ids: ids)
        let numerical = Check.numerical([Check.double(table)], wrt: 0, dout: Check.double(dout)) {
            DoubleReference.embedding($0[0], ids: ids, c: c)
        }
        #expect(Check.relativeError(Check.added(backend.toArray(dtable), prior), numerical) < Check.tolerance)
    }

    @Test func rmsNormBackwardMatchesCentralDifferences() {
        let n = 4, c = 11, eps: Float = 1e-5
        let x = NaiveReference.random(n * c, seed: 11), w = NaiveReference.random(c, seed: 12)
        let dout = NaiveReference.random(n * c, seed: 13)
        let px = Check.prior(n * c, seed: 14), pw = Check.prior(c, seed: 15)
        let dx = backend.tensor(px, shape: [n, c]), dw = backend.tensor(pw, shape: [c])
        backend.rmsNormBackward(dx, dw, dout: backend.tensor(dout, shape: [n, c]), input: backend.tensor(x, shape: [n, c]),
                                weight: backend.tensor(w, shape: [c]), eps: eps)
        let inputs = [x, w].map(Check.double), d = Check.double(dout)
        let f: ([[Double]]) -> [Double] = { DoubleReference.rmsNorm($0[0], $0[1], eps: Double(eps)) }
        #expect(Check.relativeError(Check.added(backend.toArray(dx), px), Check.numerical(inputs, wrt: 0, dout: d, f)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(dw), pw), Check.numerical(inputs, wrt: 1, dout: d, f)) < Check.tolerance)
    }

    @Test func ropeBackwardIsTheTransposedRotation() {
        let n = 3, heads = 2, hd = 6, p = 5, width = heads * hd, positions: [Int32] = [4, 0, 2]
        let angles = NaiveReference.random(p * hd / 2, seed: 16).map { $0 * 3 }
        let cosT = angles.map { Foundation.cos($0) }, sinT = angles.map { Foundation.sin($0) }
        let x = NaiveReference.random(n * width, seed: 17), dout = NaiveReference.random(n * width, seed: 18)
        let prior = Check.prior(n * width, seed: 19)
        let dx = backend.tensor(prior, shape: [n, width])
        backend.ropeBackward(dx, dout: backend.tensor(dout, shape: [n, width]), positions: positions,
                             cos: backend.tensor(cosT, shape: [p, hd / 2]), sin: backend.tensor(sinT, shape: [p, hd / 2]), headDim: hd)
        let numerical = Check.numerical([Check.double(x)], wrt: 0, dout: Check.double(dout)) {
            DoubleReference.rope($0[0], positions: positions, cos: Check.double(cosT), sin: Check.double(sinT), width: width, headDim: hd)
        }
        #expect(Check.relativeError(Check.added(backend.toArray(dx), prior), numerical) < Check.tolerance)
    }

    @Test func swigluBackwardMatchesCentralDifferences() {
        let n = 3, f = 9
        let gate = NaiveReference.random(n * f, seed: 20).map { $0 * 4 }, up = NaiveReference.random(n * f, seed: 21)
        let dout = NaiveReference.random(n * f, seed: 22)
        let pg = Check.prior(n * f, seed: 23), pu = Check.prior(n * f, seed: 24)
        let dg = backend.tensor(pg, shape: [n, f]), du = backend.tensor(pu, shape: [n, f])
        backend.swigluBackward(dg, du, dout: backend.tensor(dout, shape: [n, f]), gate: backend.tensor(gate, shape: [n, f]),
                               up: backend.tensor(up, shape: [n, f]))
        let inputs = [gate, up].map(Check.double), d = Check.double(dout)
        let fn: ([[Double]]) -> [Double] = { DoubleReference.swiglu($0[0], $0[1]) }
        #expect(Check.relativeError(Check.added(backend.toArray(dg), pg), Check.numerical(inputs, wrt: 0, dout: d, fn)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(du), pu), Check.numerical(inputs, wrt: 1, dout: d, fn)) < Check.tolerance)
    }

    @Test func addBackwardPassesTheGradientToBothInputs() {
        let dout = NaiveReference.random(6, seed: 25), pa = Check.prior(6, seed: 26), pb = Check.prior(6, seed: 27)
        let da = backend.tensor(pa, shape: [2, 3]), db = backend.tensor(pb, shape: [2, 3])
        backend.addBackward(da, db, dout: backend.tensor(dout, shape: [2, 3]))
        let inputs = [pa, pb].map(Check.double)
        let f: ([[Double]]) -> [Double] = { zip($0[0], $0[1]).map(+) }
        #expect(Check.relativeError(Check.added(backend.toArray(da), pa), Check.numerical(inputs, wrt: 0, dout: Check.double(dout), f)) < Check.tolerance)
        #expect(Check.relativeError(Check.added(backend.toArray(db), pb), Check.numerical(inputs, wrt: 1, dout: Check.double(dout), f)) < Check.tolerance)
    }
}
