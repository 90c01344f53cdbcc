public import SkyTensor

/// Measures prefill speed against the backend's own sgemm speed (what `skyctl bench model` reports).
public enum PrefillBenchmark {
    /// A ~25M-parameter Qwen2-shaped model (tied 8k vocabulary, 8 layers of width 512, GQA 8:2).
    public static let config25M = ModelConfig(
        modelType: .qwen2, vocabSize: 8192, hiddenSize: 512, intermediateSize: 1408, numHiddenLayers: 8,
        numAttentionHeads: 8, numKeyValueHeads: 2, ropeTheta: 1_000_000, tieWordEmbeddings: true, maxPositionEmbeddings: 2048)

    /// One measurement: seconds per run and the GFLOP/s that implies.
    public struct Result: Sendable {
        /// Best wall time of the repeats, in seconds.
        public var seconds: Double
        /// Floating-point operations per run.
        public var flops: Double
        /// flops / seconds / 1e9.
        public var gflops: Double { flops / seconds / 1e9 }
    }

    /// Matrix-product FLOPs of prefilling `tokens` tokens: projections, causal attention, one lm_head row.
    public static func prefillFlops(config: ModelConfig, tokens t: Int) -> Double {
        let c = Double(config.hiddenSize), f = Double(config.intermediateSize), n = Double(t)
        let q = Double(config.numAttentionHeads * config.headDim), kv = Double(config.numKeyValueHeads * config.headDim)
        let projections = 2 * n * (c * q + 2 * c * kv + q * c + 3 * c * f)
        let attention = 2 * 2 * q * n * (n + 1) / 2  // QKᵀ and PV over the causal half
        return Double(config.numHiddenLayers) * (projections + attention) + 2 * c * Double(config.vocabSize)
    }

    /// Best-of-`repeats` time of an (m×k)·(k×n) sgemm on `backend`.
    public static func sgemm(backend: any Backend, m: Int, n: Int, k: Int, repeats: Int = 5) -> Result {
        let a = backend.tensor((0..<(m * k)).map { Float($0 % 7) * 0.1 }, shape: [m, k])
        let b = backend.tensor((0..<(k * n)).map { Float($0 % 5) * 0.1 }, shape: [k, n])
        let out = backend.zeros([m, n])
        let seconds = best(of: repeats) {
            backend.matmul(out, a, b)
            try? backend.checkForFailure()  // a GPU queues the product: wait for it inside the timing
        }
        return Result(seconds: seconds, flops: 2 * Double(m) * Double(n) * Double(k))
    }

    /// Best-of-`repeats` time of prefilling `tokens` tokens through `model` with a fresh cache.
    public static func prefill(model: CausalLM, tokens: Int, repeats: Int = 3) throws -> Result {
        let ids = (0..<tokens).map { Int32(($0 * 7919) % model.config.vocabSize) }
        var failure: (any Error)?
        let seconds = best(of: repeats) {
            do { _ = try model.forward([(ids, model.makeCache(capacity: tokens))]) } catch { failure = error }
        }
        if let failure { throw failure }
        return Result(seconds: seconds, flops: prefillFlops(config: model.config, tokens: tokens))
    }

    /// Best-of-`repeats` time of one Linear layer's backward on `backend`: dinput (N, C) += dout · weight and
    /// dweight (OC, C) += doutᵀ · input, the two products every projection adds per training step.
    public static func linearBackward(backend: any Backend, rows: Int, inputs c: Int, outputs oc: Int, repeats: Int = 5) -> Result {
        let input = backend.tensor((0..<(rows * c)).map { Float($0 % 7) * 0.1 }, shape: [rows, c])
        let weight = backend.tensor((0..<(oc * c)).map { Float($0 % 5) * 0.1 }, shape: [oc, c])
        let dout = backend.tensor((0..<(rows * oc)).map { Float($0 % 3) * 0.1 }, shape: [rows, oc])
        let dinput = backend.zeros([rows, c]), dweight = backend.zeros([oc, c])
        let seconds = best(of: repeats) {
            backend.linearBackward(dinput, dweight, nil, dout: dout, input: input, weight: weight)
        }
        return Result(seconds: seconds, flops: 2 * 2 * Double(rows) * Double(c) * Double(oc))
    }

    private static func best(of repeats: Int, _ body: () -> Void) -> Double {
        body()  // warm-up: page in weights, start BLAS threads
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let elapsed = clock.measure(body)
            best = min(best, elapsed.seconds)
        }
        return best
    }
}
