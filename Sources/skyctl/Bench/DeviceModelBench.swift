import Foundation
import SkyModel
import SkyTensor

/// `skyctl bench model --backend cuda`: the model runtime on a device, each figure next to the device's own limit
/// measured in the same round (`DeviceModelBenchmark`), and the device memory the backend held against the weights.
struct DeviceModelBench {
    let backend: any Backend
    let config: ModelConfig
    let bfloat16Matrices: Bool
    let rounds: Int
    let tokens: Int
    let decodeSteps: Int

    /// Runs the rounds and returns the report as text or JSON.
    func run(json: Bool) throws -> String {
        let memory = (backend as? CUDABackend)?.memory
        memory?.resetPeak()
        var weights = try ModelWeights.random(config: config, seed: 1, backend: backend)
        if bfloat16Matrices { weights = weights.withBFloat16Matrices(backend: backend) }
        let model = CausalLM(config: config, weights: weights, backend: backend, maxPositions: max(tokens, 16 + decodeSteps))
        try backend.checkForFailure()
        let weightBytes = memory?.bytes
        var measured: [DeviceModelBenchmark.Round] = []
        for _ in 0..<rounds {
            measured.append(try DeviceModelBenchmark.round(model: model, tokens: tokens, decodeSteps: decodeSteps))
        }
        let bytesPerToken = DeviceModelBenchmark.bytesPerToken(model: model, position: 16 + decodeSteps / 2)
        let bounds = measured.map { $0.bandwidthBytesPerSecond / bytesPerToken }
        let decodeRatios = zip(measured, bounds).map { $0.decodeTokensPerSecond / $1 }
        let prefillRatios = measured.map { $0.prefillGflops / $0.productGflops }
        let peak = memory?.peakBytes
        if json {
            var object: [String: Any] = [
                "backend": backend.name, "device": backend.device.description, "rounds": rounds, "parameters": config.parameterCount,
                "bf16_matrices": bfloat16Matrices, "prefill_tokens": tokens, "decode_steps": decodeSteps,
                "product_gflops": RoundsText.median(measured.map(\.productGflops)),
                "prefill_gflops": RoundsText.median(measured.map(\.prefillGflops)), "prefill_ratio": RoundsText.median(prefillRatios),
                "bandwidth_gbs": RoundsText.median(measured.map(\.bandwidthBytesPerSecond)) / 1e9,
                "decode_tokens_per_s": RoundsText.median(measured.map(\.decodeTokensPerSecond)),
                "decode_bound_tokens_per_s": RoundsText.median(bounds), "decode_ratio": RoundsText.median(decodeRatios),
                "decode_bytes_per_token": bytesPerToken,
                "rounds_detail": measured.map { ["product_gflops": $0.productGflops, "prefill_gflops": $0.prefillGflops,
                                                 "bandwidth_bytes_per_s": $0.bandwidthBytesPerSecond,
                                                 "decode_tokens_per_s": $0.decodeTokensPerSecond] },
            ]
            if let weightBytes { object["device_bytes_after_load"] = weightBytes }
            if let peak { object["device_peak_bytes"] = peak }
            return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        let gib = 1024.0 * 1024 * 1024
        var lines = [
            "model runtime bench on \(backend.device): \(rounds) interleaved round(s), medians (min–max)",
            "model: \(config.parameterCount) parameters (C=\(config.hiddenSize) F=\(config.intermediateSize) L=\(config.numHiddenLayers) "
                + "V=\(config.vocabSize)), \(bfloat16Matrices ? "bf16" : "float32") matrices, random weights",
            "(a) prefill \(tokens) tokens: \(RoundsText.range(measured.map(\.prefillGflops))) GFLOP/s; the backend's product "
                + "\(tokens)×\(config.hiddenSize)·\(config.hiddenSize)×\(config.intermediateSize): "
                + "\(RoundsText.range(measured.map(\.productGflops))) GFLOP/s; ratio \(RoundsText.percent(prefillRatios))",
            "(b) device-to-device bandwidth \(RoundsText.range(measured.map { $0.bandwidthBytesPerSecond / 1e9 })) GB/s; batch-1 decode "
                + "\(RoundsText.range(measured.map(\.decodeTokensPerSecond))) tokens/s; bound \(RoundsText.range(bounds)) tokens/s "
                + "(\(String(format: "%.1f", bytesPerToken / 1e6)) MB/token); ratio \(RoundsText.percent(decodeRatios)) (target ≥ 60%)",
        ]
        if let weightBytes, let peak {
            lines.append("(c) device memory held after load \(String(format: "%.2f", Double(weightBytes) / gib)) GiB, "
                + "peak over the rounds \(String(format: "%.2f", Double(peak) / gib)) GiB")
        }
        return lines.joined(separator: "\n")
    }
}
