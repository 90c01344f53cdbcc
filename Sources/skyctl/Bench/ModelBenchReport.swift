import Foundation
import SkyModel
import SkyTensor

/// Per-round measurements of `skyctl bench model` and their medians, as text or JSON.
struct ModelBenchReport {
    let threads: Int
    let tokens: Int
    let decodeSteps: Int
    let config: ModelConfig
    /// GFLOP/s of the (tokens × C)·(C × F) sgemm, per round.
    var sgemm: [Double] = []
    /// Prefill GFLOP/s per round.
    var prefill: [Double] = []
    /// Streaming-read GB/s per round.
    var bandwidth: [Double] = []
    /// Decode tokens/s per round.
    var decode: [Double] = []
    /// Decode tokens/s of the same model with bf16 matrices, per round (interleaved with `decode`).
    var decodeBFloat16: [Double] = []
    /// Decode tokens/s of the tiny preset per round.
    var tinyDecode: [Double] = []
    /// GFLOP/s of one Linear layer's backward (dinput and dweight) per round.
    var backward: [Double] = []
    /// The 0.5B child's measurements per round.
    var large: [LargeModelProbe.Measurement] = []
    /// The same checkpoint loaded with its matrices kept bf16, per round.
    var largeBFloat16: [LargeModelProbe.Measurement] = []
    /// Seconds spent writing the 0.5B checkpoint.
    var largeWriteSeconds: Double?
    /// Bytes of the 0.5B checkpoint's weights file.
    var largeFileBytes = 0

    private func median(_ values: [Double]) -> Double { RoundsText.median(values) }

    /// Bytes one decode step of the 25M model reads, at the middle of the timed window.
    var decodeBytesPerToken: Double { DecodeBenchmark.bytesPerToken(config: config, position: 16 + decodeSteps / 2) }

    /// Per-round ratios, so that a slow round counts against both sides of its own ratio.
    var prefillRatios: [Double] { zip(prefill, sgemm).map { $0 / $1 } }
    var decodeBounds: [Double] { bandwidth.map { $0 * 1e9 / decodeBytesPerToken } }
    var decodeRatios: [Double] { zip(decode, decodeBounds).map { $0 / $1 } }
    var largeBounds: [Double] { zip(large, bandwidth).map { $1 * 1e9 / $0.bytesPerToken } }
    /// Bytes a bf16 decode step reads (matrices at 2 bytes, norms, biases and the KV cache at 4).
    var decodeBFloat16BytesPerToken: Double {
        DecodeBenchmark.bytesPerToken(config: config, position: 16 + decodeSteps / 2, bytesPerWeight: 2)
    }
    /// bf16 decode over float32 decode, per round (each round ran both, one after the other).
    var bfloat16Speedups: [Double] { zip(decodeBFloat16, decode).map { $0 / $1 } }
    var backwardRatios: [Double] { zip(backward, sgemm).map { $0 / $1 } }

    var text: String {
        var lines = [
            "model runtime bench: \(threads) thread(s) (OpenBLAS itself on \(BLASBackend.libraryThreads)), \(sgemm.count) interleaved round(s), medians (min–max)",
            "25M model: \(config.parameterCount) parameters (C=\(config.hiddenSize) F=\(config.intermediateSize) L=\(config.numHiddenLayers) V=\(config.vocabSize), tied)",
            "(a) prefill \(tokens) tokens: \(fmt(prefill)) GFLOP/s; sgemm \(tokens)×\(config.hiddenSize)·\(config.hiddenSize)×\(config.intermediateSize): "
                + "\(fmt(sgemm)) GFLOP/s; ratio \(pct(prefillRatios)) (target ≥ 60%)",
            "(b) read bandwidth \(fmt(bandwidth)) GB/s; decode \(fmt(decode)) tokens/s; bound "
                + "\(fmt(decodeBounds)) tokens/s (\(String(format: "%.1f", decodeBytesPerToken / 1e6)) MB/token); ratio \(pct(decodeRatios)) (target ≥ 60%)",
        ]
        if !decodeBFloat16.isEmpty {
            lines.append("    bf16 matrices: decode \(fmt(decodeBFloat16)) tokens/s (\(String(format: "%.1f", decodeBFloat16BytesPerToken / 1e6)) MB/token); "
                + "\(fmt(bfloat16Speedups))× float32 in the same rounds (target ≥ 1.6×)")
        }
        if !large.isEmpty {
            let gib = 1024.0 * 1024 * 1024
            lines.append("(c) Qwen2.5-0.5B shapes, \(LargeModelProbe.config.parameterCount) parameters, bf16 on disk, f32 in memory:")
            lines.append("    load \(fmt(large.map(\.loadSeconds))) s (page cache warm after the first round; written in "
                + String(format: "%.1f", largeWriteSeconds ?? 0) + " s)")
            lines.append("    VmRSS after load \(fmt(large.map { Double($0.residentBytes) / gib })) GiB, VmHWM \(fmt(large.map { Double($0.peakResidentBytes) / gib })) GiB")
            lines.append("    decode \(fmt(large.map(\.decodeTokensPerSecond))) tokens/s; bound \(fmt(largeBounds)) tokens/s; ratio "
                + pct(zip(large, largeBounds).map { $0.decodeTokensPerSecond / $1 }))
        }
        if !largeBFloat16.isEmpty {
            let gib = 1024.0 * 1024 * 1024, file = max(1, largeFileBytes)
            lines.append("    the same checkpoint with matrices kept bf16 (read in place from the mapped file): load "
                + "\(fmt(largeBFloat16.map(\.loadSeconds))) s; VmRSS after load \(fmt(largeBFloat16.map { Double($0.residentBytes) / gib })) GiB; "
                + "VmHWM after load and decode \(fmt(largeBFloat16.map { Double($0.peakAfterDecodeBytes) / gib })) GiB = "
                + "\(fmt(largeBFloat16.map { Double($0.peakAfterDecodeBytes) / Double(file) }))× the file's "
                + "\(String(format: "%.2f", Double(file) / 1e9)) GB (target ≤ 1.15×); float32: \(fmt(large.map { Double($0.peakAfterDecodeBytes) / Double(file) }))×")
            lines.append("    decode \(fmt(largeBFloat16.map(\.decodeTokensPerSecond))) tokens/s = "
                + "\(fmt(zip(largeBFloat16, large).map { $0.decodeTokensPerSecond / $1.decodeTokensPerSecond }))× float32")
        }
        lines.append("(d) tiny preset (C=\(ModelPreset.named("tiny")!.hiddenSize), V=1024) decode \(fmt(tinyDecode)) tokens/s")
        lines.append("(e) Linear backward, dinput + dweight for \(tokens)×\(config.hiddenSize) input and \(config.intermediateSize)×\(config.hiddenSize) weight: "
            + "\(fmt(backward)) GFLOP/s; ratio to sgemm \(pct(backwardRatios))")
        return lines.joined(separator: "\n")
    }

    var json: String {
        var object: [String: Any] = [
            "threads": threads, "rounds": sgemm.count, "prefill_tokens": tokens, "decode_steps": decodeSteps,
            "parameters": config.parameterCount,
            "sgemm_gflops": median(sgemm), "prefill_gflops": median(prefill), "prefill_ratio": median(prefillRatios),
            "bandwidth_gbs": median(bandwidth), "decode_tokens_per_s": median(decode), "decode_bound_tokens_per_s": median(decodeBounds),
            "decode_ratio": median(decodeRatios), "decode_bytes_per_token": decodeBytesPerToken,
            "openblas_threads": BLASBackend.libraryThreads, "tiny_decode_tokens_per_s": median(tinyDecode),
            "linear_backward_gflops": median(backward), "linear_backward_ratio": median(backwardRatios),
            "decode_bf16_tokens_per_s": median(decodeBFloat16), "decode_bf16_speedup": median(bfloat16Speedups),
            "rounds_detail": [
                "sgemm_gflops": sgemm, "prefill_gflops": prefill, "bandwidth_gbs": bandwidth, "decode_tokens_per_s": decode,
                "tiny_decode_tokens_per_s": tinyDecode, "linear_backward_gflops": backward,
            ],
        ]
        if !large.isEmpty {
            object["large"] = [
                "parameters": LargeModelProbe.config.parameterCount, "write_s": largeWriteSeconds ?? 0,
                "load_s": median(large.map(\.loadSeconds)), "vmrss_bytes": median(large.map { Double($0.residentBytes) }),
                "vmhwm_bytes": median(large.map { Double($0.peakResidentBytes) }),
                "decode_tokens_per_s": median(large.map(\.decodeTokensPerSecond)), "decode_bound_tokens_per_s": median(largeBounds),
                "bf16_vmhwm_bytes": median(largeBFloat16.map { Double($0.peakAfterDecodeBytes) }),
                "bf16_decode_tokens_per_s": median(largeBFloat16.map(\.decodeTokensPerSecond)),
                "file_bytes": largeFileBytes,
            ] as [String: Any]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func fmt(_ values: [Double]) -> String { RoundsText.range(values) }

    private func pct(_ values: [Double]) -> String { RoundsText.percent(values) }
}
