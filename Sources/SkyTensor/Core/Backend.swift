/// The operations the transformer needs, implemented once per device (BLAS on the CPU, later CUDA).
///
/// Every op writes into outputs passed first (llm.c style), and its backward sits right after it with the
/// same argument order: gradients are prefixed `d` and the backward ADDS (+=) into every gradient it is
/// given, so residual branches, tied weights and gradient accumulation need no extra code. A nil gradient
/// (a frozen weight) is not computed. Callers never touch element memory directly: data enters through
/// `tensor(_:shape:)` and leaves through `toArray(_:)`, so a device backend can keep it on the device.
public protocol Backend: Sendable {
    /// A short name for logs and benchmark reports ("blas", "cuda").
    var name: String { get }
    /// The hardware and library the ops run on, recorded next to the backend's name in train and eval results.
    var device: BackendDevice { get }

    /// A zero-filled tensor of `shape` in this backend's memory.
    func zeros(_ shape: [Int]) -> Tensor
    /// A tensor holding `values` (row-major) with `shape`.
    func tensor(_ values: [Float], shape: [Int]) -> Tensor
    /// A weight of bfloat16 values with `shape`. A backend that stores bf16 may read `bits` in place for as long as
    /// `owner` lives (a mapped checkpoint); one that does not widens them to float32.
    func tensor(bfloat16 bits: UnsafeBufferPointer<UInt16>, shape: [Int], owner: (any AnyObject & Sendable)?) -> Tensor
    /// The elements of `tensor`, row-major, copied to the host (bf16 widened).
    func toArray(_ tensor: Tensor) -> [Float]
    /// Copies `input` into `out` (same element count).
    func copy(_ out: Tensor, _ input: Tensor)

    /// out (M, N) = alpha · op(a) · op(b) + beta · out, where op transposes when asked.
    func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float)
    /// out (N, OC) = input (N, C) · weight (OC, C)ᵀ + bias (OC): a PyTorch `nn.Linear`.
    func linear(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?)
    /// dinput (N, C) += dout · weight; dweight (OC, C) += doutᵀ · input; dbias (OC) += Σ rows of dout (N, OC).
    func linearBackward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, dout: Tensor, input: Tensor, weight: Tensor)
    /// out (N, C) = rows of table (V, C) picked by ids (N).
    func embedding(_ out: Tensor, ids: [Int32], table: Tensor)
    /// dtable (V, C) row ids[n] += dout (N, C) row n.
    func embeddingBackward(_ dtable: Tensor, dout: Tensor, ids: [Int32])
    /// out (N, C) = input / sqrt(mean(input²) + eps) · weight (C), per row, as Hugging Face computes it.
    func rmsNorm(_ out: Tensor, _ input: Tensor, weight: Tensor, eps: Float)
    /// dinput (N, C) and dweight (C) += the gradients of `rmsNorm` given dout (N, C).
    func rmsNormBackward(_ dinput: Tensor, _ dweight: Tensor?, dout: Tensor, input: Tensor, weight: Tensor, eps: Float)
    /// Rotates out/input (N, H·HD) by position: rotate-half RoPE with cos, sin (P, HD/2); out may be input.
    func rope(_ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int)
    /// dinput (N, H·HD) += dout rotated back (the transpose of the rotation); dinput must not alias dout.
    func ropeBackward(_ dinput: Tensor, dout: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int)
    /// out (N, F) = silu(gate) · up, elementwise.
    func swiglu(_ out: Tensor, gate: Tensor, up: Tensor)
    /// dgate (N, F) += dout · up · silu′(gate); dup (N, F) += dout · silu(gate).
    func swigluBackward(_ dgate: Tensor, _ dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor)
    /// out = a + b, elementwise (residual connections); out may alias a or b.
    func add(_ out: Tensor, _ a: Tensor, _ b: Tensor)
    /// da += dout and db += dout: a residual connection passes its gradient to both branches.
    func addBackward(_ da: Tensor, _ db: Tensor, dout: Tensor)
    /// out = a · b, elementwise (dropout masks); out may alias a or b. Its backward is itself: da += dout · b.
    func multiply(_ out: Tensor, _ a: Tensor, _ b: Tensor)
    /// Row-wise softmax of input (R, S); with `causalOffset` k, row r sees columns 0...r+k only (others 0).
    func softmax(_ out: Tensor, _ input: Tensor, causalOffset: Int?)
    /// Causal grouped-query attention of q (T, NH·HD) over keys, values (S, NKV·HD) into out (T, NH·HD);
    /// query t sits at position S − T + t and sees keys 0...S − T + t.
    func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int)
    /// dq (T, NH·HD), dk and dv (S, NKV·HD) += the gradients of `attention` given dout (T, NH·HD); the
    /// probabilities are recomputed from q and k rather than stored.
    func attentionBackward(_ dq: Tensor, _ dk: Tensor, _ dv: Tensor, dout: Tensor, q: Tensor, k: Tensor, v: Tensor,
                           heads: Int, kvHeads: Int, headDim: Int)
    /// losses (N) = logsumexp(logits) − logits[target] per row of logits (N, V); target −100 gives 0.
    func crossEntropy(_ losses: Tensor, logits: Tensor, targets: [Int32])
    /// dlogits (N, V) += dlosses[n] · (softmax(logits[n]) − onehot(target[n])); rows with target −100 get nothing.
    func crossEntropyBackward(_ dlogits: Tensor, dlosses: Tensor, logits: Tensor, targets: [Int32])

    /// out = value everywhere (zeroing gradients is one fill of the gradient buffer).
    func fill(_ out: Tensor, _ value: Float)
    /// out *= factor, elementwise.
    func scale(_ out: Tensor, by factor: Float)
    /// Σ x² over every element, accumulated in double (for global-norm clipping).
    func sumOfSquares(_ x: Tensor) -> Double
    /// One AdamW step on params with gradients `grads` and moments m, v (all the same shape), as PyTorch's
    /// `torch.optim.AdamW`: decoupled weight decay params −= lr·decay·params first, bias-corrected moments
    /// for `step` (1-based).
    func adamW(_ params: Tensor, _ m: Tensor, _ v: Tensor, grads: Tensor, hyper: AdamWHyper, step: Int)

    /// The index of the largest value in each row of logits (R, V), the first on ties (torch.argmax): greedy decoding's
    /// choice made where the logits are, so a decode step on a device hands back R ids rather than R·V floats.
    func argmax(_ logits: Tensor) -> [Int32]
    /// One token per row of logits (R, V) drawn by `sampling` with `draws[r]` (uniform in [0, 1), from the caller's
    /// seeded generator for that row), made where the logits are: a device hands back R ids.
    func sample(_ logits: Tensor, _ sampling: TokenSampling, draws: [Double]) -> [Int32]

    /// out = an inverted-dropout mask: 0 with probability `probability`, else 1 / (1 − probability), element i decided by
    /// a counter-based hash of (seed, i) (`DropoutMask`), so every backend draws the same mask and a device draws it
    /// where it is used rather than uploading it.
    func dropoutMask(_ out: Tensor, probability: Float, seed: UInt64)

    /// Waits for the work queued so far and throws the first failure of the device since the backend was made. A GPU
    /// queues its work and fails late (out of memory included), so ops keep no error channel of their own: callers
    /// check at step boundaries, and benchmarks call it to end a timing. The BLAS backend never fails this way.
    func checkForFailure() throws
}

extension Backend {
    /// Widened to float32: the backend keeps no bf16.
    public func tensor(bfloat16 bits: UnsafeBufferPointer<UInt16>, shape: [Int], owner: (any AnyObject & Sendable)?) -> Tensor {
        tensor(bits.map(DType.float(bfloat16:)), shape: shape)
    }

    /// Nothing to report: host backends fail at the op itself.
    public func checkForFailure() throws {}

    /// Drawn on the host and copied in.
    public func dropoutMask(_ out: Tensor, probability: Float, seed: UInt64) {
        copy(out, tensor((0..<out.count).map { DropoutMask.value(seed: seed, index: $0, probability: probability) }, shape: out.shape))
    }

    /// Row by row on the host, over the downloaded logits.
    public func sample(_ logits: Tensor, _ sampling: TokenSampling, draws: [Double]) -> [Int32] {
        let values = toArray(logits), width = logits.rowLength
        precondition(draws.count == logits.rowCount, "\(draws.count) draws for \(logits.rowCount) rows")
        return (0..<logits.rowCount).map { row in
            sampling.pick(sampling.probabilities(Array(values[(row * width)..<((row + 1) * width)])), draw: draws[row])
        }
    }

    /// Row by row on the host, over the downloaded logits.
    public func argmax(_ logits: Tensor) -> [Int32] {
        let values = toArray(logits), width = logits.rowLength
        return (0..<logits.rowCount).map { row in
            var best = row * width
            for i in (row * width)..<((row + 1) * width) where values[i] > values[best] { best = i }
            return Int32(best - row * width)
        }
    }

    /// out = op(a) · op(b) with no transposes unless asked.
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) {
        matmul(out, a, b, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
    }
}

/// The dropout mask every backend draws: element i is kept unless u(seed, i) < p, with u the top 24 bits of SplitMix64's
/// finaliser applied to seed + i·φ (a counter-based generator: any element, in any order, on any device).
public enum DropoutMask {
    /// 0, or 1 / (1 − probability) for a kept element.
    @inline(__always)
    public static func value(seed: UInt64, index: Int, probability: Float) -> Float {
        var x = seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return Float(x >> 40) * 0x1p-24 < probability ? 0 : 1 / (1 - probability)
    }
}
