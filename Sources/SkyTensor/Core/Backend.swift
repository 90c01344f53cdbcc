/// The operations the transformer needs, implemented once per device (BLAS on the CPU, later CUDA).
///
/// Every op writes into outputs passed first (llm.c style) so that a backward can sit beside it with the
/// same argument order. Callers never touch element memory directly: data enters through
/// `tensor(_:shape:)` and leaves through `toArray(_:)`, so a device backend can keep it on the device.
public protocol Backend: Sendable {
    /// A short name for logs and benchmark reports ("blas", "cuda").
    var name: String { get }

    /// A zero-filled tensor of `shape` in this backend's memory.
    func zeros(_ shape: [Int]) -> Tensor
    /// A tensor holding `values` (row-major) with `shape`.
    func tensor(_ values: [Float], shape: [Int]) -> Tensor
    /// The elements of `tensor`, row-major, copied to the host.
    func toArray(_ tensor: Tensor) -> [Float]
    /// Copies `input` into `out` (same element count).
    func copy(_ out: Tensor, _ input: Tensor)

    /// out (M, N) = alpha · op(a) · op(b) + beta · out, where op transposes when asked.
    func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float)
    /// out (N, OC) = input (N, C) · weight (OC, C)ᵀ + bias (OC): a PyTorch `nn.Linear`.
    func linear(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?)
    /// out (N, C) = rows of table (V, C) picked by ids (N).
    func embedding(_ out: Tensor, ids: [Int32], table: Tensor)
    /// out (N, C) = input / sqrt(mean(input²) + eps) · weight (C), per row, as Hugging Face computes it.
    func rmsNorm(_ out: Tensor, _ input: Tensor, weight: Tensor, eps: Float)
    /// Rotates out/input (N, H·HD) by position: rotate-half RoPE with cos, sin (P, HD/2); out may be input.
    func rope(_ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int)
    /// out (N, F) = silu(gate) · up, elementwise.
    func swiglu(_ out: Tensor, gate: Tensor, up: Tensor)
    /// out = a + b, elementwise (residual connections); out may alias a or b.
    func add(_ out: Tensor, _ a: Tensor, _ b: Tensor)
    /// Row-wise softmax of input (R, S); with `causalOffset` k, row r sees columns 0...r+k only (others 0).
    func softmax(_ out: Tensor, _ input: Tensor, causalOffset: Int?)
    /// Causal grouped-query attention of q (T, NH·HD) over keys, values (S, NKV·HD) into out (T, NH·HD);
    /// query t sits at position S − T + t and sees keys 0...S − T + t.
    func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int)
    /// losses (N) = logsumexp(logits) − logits[target] per row of logits (N, V); target −100 gives 0.
    func crossEntropy(_ losses: Tensor, logits: Tensor, targets: [Int32])
}

extension Backend {
    /// out = op(a) · op(b) with no transposes unless asked.
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) {
        matmul(out, a, b, transposeA: transposeA, transposeB: transposeB, alpha: 1, beta: 0)
    }
}
