import Foundation

/// Wall times of one `model generate` run.
struct GenerationTimings {
    /// Reading config, weights and tokenizer.
    let load: Double
    /// Prompt prefill up to the first token.
    let prefill: Double
    /// The remaining tokens, one decode step each.
    let decode: Double
    /// Tokens generated (the first one comes from the prefill).
    let tokens: Int

    /// Decode speed: tokens after the first over the decode time.
    var tokensPerSecond: Double { tokens > 1 && decode > 0 ? Double(tokens - 1) / decode : 0 }

    /// The summary printed after the streamed text.
    var line: String {
        String(format: "%d tokens, %.1f tokens/s (load %.2f s, prefill %.3f s, decode %.3f s)",
               tokens, tokensPerSecond, load, prefill, decode)
    }

    /// The timings for `--json` output.
    var jsonObject: [String: Any] {
        ["load_s": load, "prefill_s": prefill, "decode_s": decode, "tokens": tokens, "tokens_per_s": tokensPerSecond]
    }
}
