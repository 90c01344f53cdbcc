public import SkyTensor

/// The model runtime on a device backend against that device's own limits, measured with the backend's own ops (what
/// `skyctl bench model --backend cuda` reports): prefill GFLOP/s next to the backend's product of the MLP's shape, and
/// batch-1 greedy decode next to the bound that device-to-device copy bandwidth sets on reading every weight and the
/// KV cache once per token.
///
/// Every timing ends with `checkForFailure()`, which waits for the device's queued work, so a GPU is timed at the end
/// of its work and not at the end of its queueing.
public enum DeviceModelBenchmark {
    /// One interleaved round's figures.
    public struct Round: Sendable, Codable, Equatable {
        /// GFLOP/s of the backend's (tokens × C)·(C × F) product.
        public var productGflops: Double
        /// GFLOP/s of prefilling `tokens` tokens (`PrefillBenchmark.prefillFlops`).
        public var prefillGflops: Double
        /// Device-to-device copy bandwidth, bytes read plus bytes written per second.
        public var bandwidthBytesPerSecond: Double
        /// Batch-1 greedy decode tokens per second (the chosen id read back each step, as generation does).
        public var decodeTokensPerSecond: Double
    }

    /// Bytes a batch-1 decode step reads at context `position`: matrices at their stored width, norms and biases at 4
    /// bytes, the float32 KV cache.
    public static func bytesPerToken(model: CausalLM, position: Int) -> Double {
        DecodeBenchmark.bytesPerToken(config: model.config, position: position,
                                      bytesPerWeight: model.weights.layers.first?.q.dtype == .bfloat16 ? 2 : 4)
    }

    /// Best-of-`repeats` device-to-device bandwidth: a copy of `megabytes` MiB reads and writes that many bytes.
    public static func bandwidth(backend: any Backend, megabytes: Int = 256, repeats: Int = 5) throws -> Double {
        let count = megabytes << 18
        let source = backend.zeros([count]), destination = backend.zeros([count])
        backend.copy(destination, source)  // warm-up
        try backend.checkForFailure()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let start = ContinuousClock.now
            backend.copy(destination, source)
            try backend.checkForFailure()
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        return Double(2 * count * 4) / best
    }

    /// One round: the product, a prefill of `tokens` tokens, the bandwidth probe and `decodeSteps` decode steps after a
    /// 16-token prompt.
    public static func round(model: CausalLM, tokens: Int, decodeSteps: Int, bandwidthMegabytes: Int = 256) throws -> Round {
        let backend = model.backend, config = model.config
        let product = PrefillBenchmark.sgemm(backend: backend, m: tokens, n: config.intermediateSize, k: config.hiddenSize, repeats: 3)
        let ids = (0..<tokens).map { Int32(($0 * 7919) % config.vocabSize) }
        _ = try model.forward([(ids, model.makeCache(capacity: tokens))])  // warm-up: kernels loaded, buffers sized
        try backend.checkForFailure()
        let start = ContinuousClock.now
        _ = try model.forward([(ids, model.makeCache(capacity: tokens))])
        try backend.checkForFailure()
        let prefill = (ContinuousClock.now - start).seconds
        return Round(productGflops: product.gflops,
                     prefillGflops: PrefillBenchmark.prefillFlops(config: config, tokens: tokens) / prefill / 1e9,
                     bandwidthBytesPerSecond: try bandwidth(backend: backend, megabytes: bandwidthMegabytes),
                     decodeTokensPerSecond: Double(decodeSteps)
                        / (try DecodeBenchmark.decodeSeconds(model: model, prompt: 16, steps: decodeSteps, readBack: .argmax)))
    }
}
