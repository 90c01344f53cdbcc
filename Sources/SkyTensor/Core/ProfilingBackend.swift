import Foundation

/// A backend that runs every op on another one and adds up the wall time per op, for finding where a training
/// step's time goes (`skyctl bench train --profile`). Timing only makes sense for a backend whose ops finish
/// before they return, as the BLAS one does.
public final class ProfilingBackend: Backend, @unchecked Sendable {
    /// Where the ops run.
    public let base: any Backend
    private let lock = NSLock()
    private var totals: [String: (seconds: Double, calls: Int)] = [:]

    /// Wraps `base`.
    public init(_ base: any Backend) {
        self.base = base
    }

    /// The wrapped backend's device.
    public var device: BackendDevice { base.device }

    /// Seconds and calls per op name since the last `reset()`, slowest first.
    public var report: [(op: String, seconds: Double, calls: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return totals.map { ($0.key, $0.value.seconds, $0.value.calls) }.sorted { $0.seconds > $1.seconds }
    }

    /// Forgets every total.
    public func reset() {
        lock.lock()
        totals = [:]
        lock.unlock()
    }

    @inline(__always)
    private func timed<T>(_ op: String, _ body: () -> T) -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = body()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
        lock.lock()
        let old = totals[op] ?? (0, 0)
        totals[op] = (old.seconds + seconds, old.calls + 1)
        lock.unlock()
        return result
    }

    public var name: String { base.name }
    public func zeros(_ shape: [Int]) -> Tensor { timed("zeros") { base.zeros(shape) } }
    public func tensor(_ values: [Float], shape: [Int]) -> Tensor { timed("tensor") { base.tensor(values, shape: shape) } }
    public func toArray(_ tensor: Tensor) -> [Float] { timed("toArray") { base.toArray(tensor) } }
    public func copy(_ out: Tensor, _ input: Tensor) { timed("copy") { base.copy(out, input) } }
    public func matmul(_ out: Tensor, _ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, alpha: Float, beta: Float) {
        timed("matmul") { base.matmul(out, a, b, transposeA: transposeA, transposeB: transposeB, alpha: alpha, beta: beta) }
    }
    public func linear(_ out: Tensor, _ input: Tensor, _ weight: Tensor, bias: Tensor?) {
        timed("linear") { base.linear(out, input, weight, bias: bias) }
    }
    public func linearBackward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, dout: Tensor, input: Tensor, weight: Tensor) {
        timed("linearBackward") { base.linearBackward(dinput, dweight, dbias, dout: dout, input: input, weight: weight) }
    }
    public func embedding(_ out: Tensor, ids: [Int32], table: Tensor) { timed("embedding") { base.embedding(out, ids: ids, table: table) } }
    public func embeddingBackward(_ dtable: Tensor, dout: Tensor, ids: [Int32]) {
        timed("embeddingBackward") { base.embeddingBackward(dtable, dout: dout, ids: ids) }
    }
    public func rmsNorm(_ out: Tensor, _ input: Tensor, weight: Tensor, eps: Float) {
        timed("rmsNorm") { base.rmsNorm(out, input, weight: weight, eps: eps) }
    }
    public func rmsNormBackward(_ dinput: Tensor, _ dweight: Tensor?, dout: Tensor, input: Tensor, weight: Tensor, eps: Float) {
        timed("rmsNormBackward") { base.rmsNormBackward(dinput, dweight, dout: dout, input: input, weight: weight, eps: eps) }
    }
    public func rope(_ out: Tensor, _ input: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        timed("rope") { base.rope(out, input, positions: positions, cos: cos, sin: sin, headDim: headDim) }
    }
    public func ropeBackward(_ dinput: Tensor, dout: Tensor, positions: [Int32], cos: Tensor, sin: Tensor, headDim: Int) {
        timed("ropeBackward") { base.ropeBackward(dinput, dout: dout, positions: positions, cos: cos, sin: sin, headDim: headDim) }
    }
    public func swiglu(_ out: Tensor, gate: Tensor, up: Tensor) { timed("swiglu") { base.swiglu(out, gate: gate, up: up) } }
    public func swigluBackward(_ dgate: Tensor, _ dup: Tensor, dout: Tensor, gate: Tensor, up: Tensor) {
        timed("swigluBackward") { base.swigluBackward(dgate, dup, dout: dout, gate: gate, up: up) }
    }
    public func add(_ out: Tensor, _ a: Tensor, _ b: Tensor) { timed("add") { base.add(out, a, b) } }
    public func addBackward(_ da: Tensor, _ db: Tensor, dout: Tensor) { timed("addBackward") { base.addBackward(da, db, dout: dout) } }
    public func multiply(_ out: Tensor, _ a: Tensor, _ b: Tensor) { timed("multiply") { base.multiply(out, a, b) } }
    public func softmax(_ out: Tensor, _ input: Tensor, causalOffset: Int?) {
        timed("softmax") { base.softmax(out, input, causalOffset: causalOffset) }
    }
    public func attention(_ out: Tensor, q: Tensor, k: Tensor, v: Tensor, heads: Int, kvHeads: Int, headDim: Int) {
        timed("attention") { base.attention(out, q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim) }
    }
    public func attentionBackward(_ dq: Tensor, _ dk: Tensor, _ dv: Tensor, dout: Tensor, q: Tensor, k: Tensor, v: Tensor,
                                  heads: Int, kvHeads: Int, headDim: Int) {
        timed("attentionBackward") {
            base.attentionBackward(dq, dk, dv, dout: dout, q: q, k: k, v: v, heads: heads, kvHeads: kvHeads, headDim: headDim)
        }
    }
    public func crossEntropy(_ losses: Tensor, logits: Tensor, targets: [Int32]) {
        timed("crossEntropy") { base.crossEntropy(losses, logits: logits, targets: targets) }
    }
    public func crossEntropyBackward(_ dlogits: Tensor, dlosses: Tensor, logits: Tensor, targets: [Int32]) {
        timed("crossEntropyBackward") { base.crossEntropyBackward(dlogits, dlosses: dlosses, logits: logits, targets: targets) }
    }
    public func fill(_ out: Tensor, _ value: Float) { timed("fill") { base.fill(out, value) } }
    public func scale(_ out: Tensor, by factor: Float) { timed("scale") { base.scale(out, by: factor) } }
    public func sumOfSquares(_ x: Tensor) -> Double { timed("sumOfSquares") { base.sumOfSquares(x) } }
    public func adamW(_ params: Tensor, _ m: Tensor, _ v: Tensor, grads: Tensor, hyper: AdamWHyper, step: Int) {
        timed("adamW") { base.adamW(params, m, v, grads: grads, hyper: hyper, step: step) }
    }
    public func checkForFailure() throws { try base.checkForFailure() }
    public func tensor(bfloat16 bits: UnsafeBufferPointer<UInt16>, shape: [Int], owner: (any AnyObject & Sendable)?) -> Tensor {
        timed("tensor") { base.tensor(bfloat16: bits, shape: shape, owner: owner) }
    }
    public func argmax(_ logits: Tensor) -> [Int32] { timed("argmax") { base.argmax(logits) } }
    public func dropoutMask(_ out: Tensor, probability: Float, seed: UInt64) {
        timed("dropoutMask") { base.dropoutMask(out, probability: probability, seed: seed) }
    }
    public func sample(_ logits: Tensor, _ sampling: TokenSampling, draws: [Double]) -> [Int32] {
        timed("sample") { base.sample(logits, sampling, draws: draws) }
    }
}
