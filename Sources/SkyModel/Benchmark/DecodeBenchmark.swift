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

    /// Seconds to decode `steps` tokens one at a time after a `prompt`-token prefill (which is not timed).
    public static func decodeSeconds(model: CausalLM, prompt: Int, steps: Int) throws -> Double {
        let vocab = model.config.vocabSize
        let cache = model.makeCache(capacity: prompt + steps)
        _ = try model.forward([((0..<prompt).map { Int32(($0 * 7919) % vocab) }, cache)])
        let clock = ContinuousClock()
        var failure: (any Error)?
        let elapsed = clock.measure {
            do {
                for step in 0..<steps {
                    // Fixed inputs: sampling is not what is measured; the logits still come back to the host.
                    _ = model.backend.toArray(try model.forward([([Int32((step * 31) % vocab)], cache)]))
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
