import SkyTensor

/// Measures single-stream decode against the memory-bandwidth bound (what `skyctl bench model` reports).
public enum DecodeBenchmark {
    /// Bytes a decode step at context length `position` must read: every weight matrix once (lm_head
    /// included, the embedding table only for its one row) plus the layer's cached keys and values.
    /// `bytesPerWeight` 2 for bf16 matrices (the KV cache stays float32).
    public static func bytesPerToken(config: ModelConfig, position: Int, bytesPerWeight: Int = 4) -> Double {
        let embeddingTable = config.tieWordEmbeddings ? 0 : config.vocabSize * config.hiddenSize  // untied: only lm_head is read whole
        let weights = config.parameterCount - embeddingTable
        let kvCache = 2 * config.numHiddenLayers * position * config.numKeyValueHeads * config.headDim
        return Double(weights * bytesPerWeight + kvCache * 4)
    }

    /// What a timed decode step hands back to the host.
    public enum ReadBack: Sendable {
        /// The whole row of logits, for fixed inputs (the CPU figures: sampling is not what is measured).
        case logits
        /// Only the argmax, fed back as the next input, as generation does on a device.
        case argmax
    }

    /// Seconds to decode `steps` tokens one at a time after a `prompt`-token prefill (which is not timed); a device's
    /// queued work is waited for inside the timing.
    public static func decodeSeconds(model: CausalLM, prompt: Int, steps: Int, readBack: ReadBack = .logits) throws -> Double {
        let vocab = model.config.vocabSize, backend = model.backend
        let cache = model.makeCache(capacity: prompt + steps)
        var next = backend.argmax(try model.forward([((0..<prompt).map { Int32(($0 * 7919) % vocab) }, cache)]))[0]
        try backend.checkForFailure()
        let start = ContinuousClock.now
        for step in 0..<steps {
            let logits = try model.forward([([readBack == .argmax ? next : Int32((step * 31) % vocab)], cache)])
            switch readBack {
            case .logits: _ = backend.toArray(logits)
            case .argmax: next = backend.argmax(logits)[0]
            }
        }
        try backend.checkForFailure()
        return (ContinuousClock.now - start).seconds
    }
}
