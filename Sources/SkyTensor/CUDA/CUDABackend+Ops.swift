import Foundation

extension CUDABackend {
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        let s = MatmulShape(out, a, b, transposeA: transposeA, transposeB: transposeB)
        rowMajorProduct(out, a, b, m: s.m, n: s.n, k: s.k, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta)
    }

    /// out (m, n) = alpha·op(a)·op(b) + beta·out, all row-major. cuBLAS is column-major, where a row-major matrix reads
    /// as its transpose: outᵀ = op(b)ᵀ·op(a)ᵀ, so the operands swap places and keep their own transpose flags.
    func rowMajorProduct(_ out: Tensor, _ a: Tensor, _ b: Tensor, m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool,
                         alpha: Float, beta: Float) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            // cuBLAS leaves C alone for k = 0 only when beta is 1; scale as the definition says.
            if beta != 1 { beta == 0 ? fill(out, 0) : scale(out, by: beta) }
            return
        }
        precondition(out.dtype == .float32, "a product writes float32, not into a \(out.dtype) tensor")
        // bf16 products round float32 operands into scratch (two slots: both operands may need it) on the way in.
        let bf16 = products == .bfloat16 || a.dtype == .bfloat16 || b.dtype == .bfloat16
        let pa = bf16 ? bfloat16Pointer(a, slot: "gemm.a") : a.devicePointer
        let pb = bf16 ? bfloat16Pointer(b, slot: "gemm.b") : b.devicePointer
        var product = CUDAGemm(transposeA: transposeB, transposeB: transposeA, m: n, n: m, k: k, alpha: alpha, beta: beta,
                               a: pb, lda: b.shape[1], b: pa, ldb: a.shape[1], c: out.devicePointer, ldc: n)
        product.inputs = bf16 ? .bfloat16 : .float32
        attempt { () throws(CUDAError) in try driver.gemm(product) }
    }

    public func linear(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?) {
        // out (N, OC), input (N, C), weight (OC, C), bias (OC)
        let c = input.rowLength, oc = weight.shape[0], rows = input.rowCount
        precondition(weight.shape == [oc, c] && out.count == rows * oc, "linear \(input.shape) · \(weight.shape)ᵀ → \(out.shape)")
        if rows == 0 { return }
        var beta: Float = 0
        if let bias {
            precondition(bias.count == oc, "bias \(bias.shape) for \(oc) outputs")
            launchElementwise("sky_broadcast_rows", count: rows * oc,
                              [.pointer(out.devicePointer), .pointer(bias.devicePointer), .int64(Int64(rows)), .int32(Int32(oc))])
            beta = 1
        }
        rowMajorProduct(out.reshaped([rows, oc]), input.reshaped([rows, c]), weight, m: rows, n: oc, k: c,
                        transposeA: false, transposeB: true, alpha: 1, beta: beta)
    }

    public func linearBackward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, dout: Tensor, input: Tensor, weight: Tensor) {
        // dinput, input (N, C); dweight, weight (OC, C); dbias (OC); dout (N, OC)
        let c = input.rowLength, oc = weight.shape[0], rows = input.rowCount
        precondition(weight.shape == [oc, c] && dout.count == rows * oc, "linearBackward \(dout.shape) through \(weight.shape)")
        if rows == 0 { return }
        let d = dout.reshaped([rows, oc]), x = input.reshaped([rows, c])
        if let dinput {
            precondition(dinput.count == input.count, "dinput \(dinput.shape) for input \(input.shape)")
            rowMajorProduct(dinput.reshaped([rows, c]), d, weight, m: rows, n: c, k: oc, transposeA: false, transposeB: false,
                            alpha: 1, beta: 1)
        }
        if let dweight {
            precondition(weight.dtype == .float32, "a bfloat16 weight is frozen: its gradient is not computed (train it in float32)")
            precondition(dweight.shape == weight.shape, "dweight \(dweight.shape) for weight \(weight.shape)")
            rowMajorProduct(dweight, d, x, m: oc, n: c, k: rows, transposeA: true, transposeB: false, alpha: 1, beta: 1)
        }
        if let dbias {
            precondition(dbias.count == oc, "dbias \(dbias.shape) for \(oc) outputs")
            launchColumns("sky_column_sum", columns: oc,
                          [.pointer(dbias.devicePointer), .pointer(dout.devicePointer), .int32(Int32(rows)), .int32(Int32(oc))])
        }
    }

    public func embedding(_ out: Tensor, ids: [Int32], table: Tensor) {
        let v = table.shape[0], c = table.rowLength
        precondition(out.count == ids.count * c, "embedding of \(ids.count) ids into \(out.shape)")
        for id in ids { precondition(id >= 0 && Int(id) < v, "token id \(id) outside vocabulary of \(v)") }
        let device = upload(ids, slot: "ids")
        launchElementwise(table.dtype == .bfloat16 ? "sky_embedding_bf16" : "sky_embedding", count: ids.count * c,
                          [.pointer(out.devicePointer), .pointer(device), .pointer(table.anyDevicePointer), .int32(Int32(ids.count)), .int32(Int32(c))])
    }

    public func embeddingBackward(_ dtable: Tensor, dout: Tensor, ids: [Int32]) {
        let v = dtable.shape[0], c = dtable.rowLength
        precondition(dout.count == ids.count * c, "embeddingBackward of \(ids.count) ids from \(dout.shape)")
        for id in ids { precondition(id >= 0 && Int(id) < v, "token id \(id) outside vocabulary of \(v)") }
        guard !ids.isEmpty else { return }
        let device = upload(ids, slot: "ids")
        launchColumns("sky_embedding_backward", columns: c,
                      [.pointer(dtable.devicePointer), .pointer(dout.devicePointer), .pointer(device), .int32(Int32(ids.count)), .int32(Int32(c))])
    }

    public func rmsNorm(_ out: Tensor, _ input: Tensor, weight: Tensor, eps: Float) {
        let c = input.rowLength, rows = input.rowCount
        precondition(weight.count == c && out.count == input.count, "rmsNorm \(input.shape) with weight \(weight.shape)")
        launchRows("sky_rmsnorm", rows: rows, width: c,
                   [.pointer(out.devicePointer), .pointer(input.devicePointer), .pointer(weight.devicePointer), .float32(eps),
                    .int32(Int32(rows)), .int32(Int32(c))])
    }

    public func rmsNormBackward(_ dinput: Tensor, _ dweight: Tensor?, dout: Tensor, input: Tensor, weight: Tensor, eps: Float) {
        let c = input.rowLength, rows = input.rowCount
        precondition(weight.count == c && dout.count == input.count && dinput.count == input.count,
                     "rmsNormBackward \(input.shape) with weight \(weight.shape)")
        guard rows > 0 else { return }
        let rstd = scratchBuffer("rstd", bytes: rows * 4)
        launchRows("sky_rmsnorm_backward", rows: rows, width: c,
                   [.pointer(dinput.devicePointer), .pointer(rstd), .pointer(dout.devicePointer), .pointer(input.devicePointer),
                    .pointer(weight.devicePointer), .float32(eps), .int32(Int32(rows)), .int32(Int32(c))])
        guard let dweight else { return }
        precondition(dweight.count == c, "dweight \(dweight.shape) for width \(c)")
        launchColumns("sky_rmsnorm_weight_backward", columns: c,
                      [.pointer(dweight.devicePointer), .pointer(rstd), .pointer(dout.devicePointer), .pointer(input.devicePointer),
                       .int32(Int32(rows)), .int32(Int32(c))])
    }

    public func rope(_ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        ropeLaunch("sky_rope", out, input, positions: positions, cos: cos, sin: sin, headDim: headDim)
    }

    public func ropeBackward(_ dinput: Tensor, dout: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        ropeLaunch("sky_rope_backward", dinput, dout, positions: positions, cos: cos, sin: sin, headDim: headDim)
    }

    private func ropeLaunch(_ kernel: String, _ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        let rows = input.rowCount, width = input.rowLength, half = headDim / 2
        precondition(headDim % 2 == 0 && width % headDim == 0 && positions.count == rows && out.count == input.count,
                     "\(kernel) over \(input.shape) with head dim \(headDim) and \(positions.count) positions")
        precondition(cos.rowLength == half && sin.shape == cos.shape, "rope tables \(cos.shape) for head dim \(headDim)")
        for at in positions { precondition(at >= 0 && Int(at) < cos.rowCount, "position \(at) outside rotary table of \(cos.rowCount)") }
        let device = upload(positions, slot: "positions")
        launchElementwise(kernel, count: rows * (width / 2),
                          [.pointer(out.devicePointer), .pointer(input.devicePointer), .pointer(device), .pointer(cos.devicePointer),
                           .pointer(sin.devicePointer), .int32(Int32(rows)), .int32(Int32(width)), .int32(Int32(headDim))])
    }

    public func swiglu(_ out: Tensor, gate: Tensor, up: Tensor) {
        precondition(gate.count == up.count && out.count == up.count, "swiglu \(gate.shape) × \(up.shape) → \(out.shape)")
        launchElementwise("sky_swiglu", count: up.count,
                          [.pointer(out.devicePointer), .pointer(gate.devicePointer), .pointer(up.devicePointer), .int64(Int64(up.count))])
    }

    public func swigluBackward(_ dgate: Tensor, _ dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor) {
        precondition(gate.count == up.count && dout.count == up.count && dgate.count == up.count && dup.count == up.count,
                     "swigluBackward \(gate.shape) × \(up.shape) from \(dout.shape)")
        launchElementwise("sky_swiglu_backward", count: up.count,
                          [.pointer(dgate.devicePointer), .pointer(dup.devicePointer), .pointer(dout.devicePointer),
                           .pointer(gate.devicePointer), .pointer(up.devicePointer), .int64(Int64(up.count))])
    }

    public func add(_ out: Tensor, _ a: Tensor, _ b: Tensor) {
        precondition(a.count == b.count && out.count == a.count, "add \(a.shape) + \(b.shape) → \(out.shape)")
        launchElementwise("sky_add", count: a.count,
                          [.pointer(out.devicePointer), .pointer(a.devicePointer), .pointer(b.devicePointer), .int64(Int64(a.count))])
    }

    public func addBackward(_ da: Tensor, _ db: Tensor, dout: Tensor) {
        precondition(da.count == dout.count && db.count == dout.count, "addBackward \(dout.shape) → \(da.shape), \(db.shape)")
        launchElementwise("sky_add_backward", count: dout.count,
                          [.pointer(da.devicePointer), .pointer(db.devicePointer), .pointer(dout.devicePointer), .int64(Int64(dout.count))])
    }

    public func multiply(_ out: Tensor, _ a: Tensor, _ b: Tensor) {
        precondition(a.count == b.count && out.count == a.count, "multiply \(a.shape) · \(b.shape) → \(out.shape)")
        launchElementwise("sky_multiply", count: a.count,
                          [.pointer(out.devicePointer), .pointer(a.devicePointer), .pointer(b.devicePointer), .int64(Int64(a.count))])
    }

    public func softmax(_ out: Tensor, _ input: Tensor, causalOffset: Int?) {
        precondition(out.count == input.count, "softmax \(input.shape) → \(out.shape)")
        let width = input.rowLength, rows = input.rowCount
        let offset = causalOffset.map { Int32(clamping: $0) } ?? 0
        launchRows("sky_softmax", rows: rows, width: width,
                   [.pointer(out.devicePointer), .pointer(input.devicePointer), .int32(Int32(rows)), .int32(Int32(width)),
                    .int32(causalOffset == nil ? 0 : 1), .int32(offset)])
    }

    public func crossEntropy(_ losses: Tensor, logits: Tensor, targets: [Int32]) {
        let vocab = logits.rowLength, rows = logits.rowCount
        precondition(targets.count == rows && losses.count == rows, "crossEntropy \(logits.shape) with \(targets.count) targets")
        for t in targets { precondition(t == -100 || (t >= 0 && Int(t) < vocab), "target \(t) outside vocabulary of \(vocab)") }
        let device = upload(targets, slot: "targets")
        launchRows("sky_cross_entropy", rows: rows, width: vocab,
                   [.pointer(losses.devicePointer), .pointer(logits.devicePointer), .pointer(device), .int32(Int32(rows)), .int32(Int32(vocab))])
    }

    public func crossEntropyBackward(_ dlogits: Tensor, dlosses: Tensor, logits: Tensor, targets: [Int32]) {
        let vocab = logits.rowLength, rows = logits.rowCount
        precondition(targets.count == rows && dlosses.count == rows && dlogits.count == logits.count,
                     "crossEntropyBackward \(logits.shape) with \(targets.count) targets")
        for t in targets { precondition(t == -100 || (t >= 0 && Int(t) < vocab), "target \(t) outside vocabulary of \(vocab)") }
        let device = upload(targets, slot: "targets")
        launchRows("sky_cross_entropy_backward", rows: rows, width: vocab,
                   [.pointer(dlogits.devicePointer), .pointer(dlosses.devicePointer), .pointer(logits.devicePointer), .pointer(device),
                    .int32(Int32(rows)), .int32(Int32(vocab))])
    }

    public func dropoutMask(_ out: Tensor, probability: Float, seed: UInt64) {
        launchElementwise("sky_dropout_mask", count: out.count,
                          [.pointer(out.devicePointer), .int64(Int64(bitPattern: seed)), .float32(probability), .int64(Int64(out.count))])
    }

    public func fill(_ out: Tensor, _ value: Float) {
        launchElementwise("sky_fill", count: out.count, [.pointer(out.devicePointer), .float32(value), .int64(Int64(out.count))])
    }

    public func scale(_ out: Tensor, by factor: Float) {
        launchElementwise("sky_scale", count: out.count, [.pointer(out.devicePointer), .float32(factor), .int64(Int64(out.count))])
    }

    public func sumOfSquares(_ x: Tensor) -> Double {
        guard x.count > 0 else { return 0 }
        // A fixed grid, so the partial sums (and their order) are the same on every run.
        let blocks = min(256, (x.count + Self.blockSize - 1) / Self.blockSize)
        let partials = scratchBuffer("partials", bytes: blocks * 8)
        launch("sky_sum_of_squares", grid: CUDADim(blocks), block: CUDADim(Self.blockSize),
               [.pointer(partials), .pointer(x.devicePointer), .int64(Int64(x.count))])
        var values = [Double](repeating: 0, count: blocks)
        attempt { () throws(CUDAError) in try copy(partials, into: &values) }
        return values.reduce(0, +)
    }

    public func argmax(_ logits: Tensor) -> [Int32] {
        let rows = logits.rowCount, vocab = logits.rowLength
        guard rows > 0 else { return [] }
        let ids = scratchBuffer("argmax", bytes: rows * 4)
        launchRows("sky_argmax", rows: rows, width: vocab, [.pointer(ids), .pointer(logits.devicePointer), .int32(Int32(rows)), .int32(Int32(vocab))])
        var values = [Int32](repeating: 0, count: rows)
        attempt { () throws(CUDAError) in try copy(ids, into: &values) }
        return values
    }

    public func sample(_ logits: Tensor, _ sampling: TokenSampling, draws: [Double]) -> [Int32] {
        let rows = logits.rowCount, vocab = logits.rowLength
        precondition(draws.count == rows, "\(draws.count) draws for \(rows) rows")
        precondition(sampling.temperature > 0, "sampling needs a positive temperature (0 is greedy: argmax)")
        guard rows > 0 else { return [] }
        let ids = scratchBuffer("sample.ids", bytes: rows * 4), probabilities = scratchBuffer("sample.probabilities", bytes: rows * vocab * 4)
        let uniform = upload(draws, slot: "sample.draws")
        launch("sky_sample", grid: CUDADim(rows), block: CUDADim(Self.blockSize),
               [.pointer(ids), .pointer(probabilities), .pointer(logits.devicePointer), .pointer(uniform), .int32(Int32(rows)),
                .int32(Int32(vocab)), .float32(sampling.temperature), .int32(Int32(clamping: sampling.topK)), .float32(sampling.topP)])
        var values = [Int32](repeating: 0, count: rows)
        attempt { () throws(CUDAError) in try copy(ids, into: &values) }
        return values
    }

    public func adamW(_ params: Tensor, _ m: Tensor, _ v: Tensor, grads: Tensor, hyper h: AdamWHyper, step: Int) {
        precondition(m.count == params.count && v.count == params.count && grads.count == params.count && step >= 1,
                     "adamW over \(params.shape) with moments \(m.shape), \(v.shape), grads \(grads.shape), step \(step)")
        // The scalars exactly as the BLAS backend (and torch.optim.AdamW) compute them.
        let decay = 1 - h.lr * h.weightDecay
        let correction1 = 1 - Foundation.pow(h.beta1, Float(step))
        let correction2Root = (1 - Foundation.pow(h.beta2, Float(step))).squareRoot()
        let stepSize = h.lr / correction1
        launchElementwise("sky_adamw", count: params.count,
                          [.pointer(params.devicePointer), .pointer(m.devicePointer), .pointer(v.devicePointer), .pointer(grads.devicePointer),
                           .int64(Int64(params.count)), .float32(decay), .float32(h.beta1), .float32(h.beta2), .float32(h.eps),
                           .float32(stepSize), .float32(correction2Root)])
    }
}
