import Foundation
import SkyModel
import SkyTensor
import SkyTrain

/// Per-round measurements of `skyctl bench train` and their medians, as text or JSON.
struct TrainBenchReport {
    /// One training mode's figures.
    struct Mode {
        let mode: TrainingMode
        /// Model FLOPs of one step (`TrainingFlops`).
        let flopsPerStep: Double
        /// What the shapes say the mode needs.
        let expected: TrainingMemoryEstimate
        /// VmRSS before the trainer was built, and VmHWM after its first step (nil without /proc).
        let baselineBytes: Int?, peakBytes: Int?
        /// Seconds per step, per round.
        var secondsPerStep: [Double] = []
        /// With `--profile`: one step's seconds and calls per backend op, slowest first.
        var profile: [(op: String, seconds: Double, calls: Int)] = []

        var name: String {
            switch mode {
            case .full: "full"
            case let .lora(lora): "lora r=\(lora.rank) alpha=\(Int(lora.alpha)) (\(lora.targets.count) targets)"
            }
        }
        var key: String { if case .full = mode { "full" } else { "lora" } }
        var measuredBytes: Int? { peakBytes.flatMap { peak in baselineBytes.map { peak - $0 } } }
    }

    /// What the memory figures count: "VmHWM" (host), or "device memory held" by the CUDA backend.
    let memoryKind: String
    let threads: Int
    /// What the steps ran on.
    let device: BackendDevice
    let config: ModelConfig
    let sequenceLength: Int
    let batch: Int
    let checkpointing: Bool
    /// GFLOP/s of the (tokens × C)·(C × F) sgemm, per round.
    var sgemm: [Double] = []
    var modes: [Mode] = []
    /// The 1, 5 and 15 minute load averages at the end of the run.
    var loadAverage: [Double] = []

    var tokens: Int { batch * sequenceLength }

    /// /proc/loadavg's first three fields; empty where it does not exist.
    static func currentLoadAverage() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    private func median(_ values: [Double]) -> Double { RoundsText.median(values) }
    private func tokensPerSecond(_ m: Mode) -> [Double] { m.secondsPerStep.map { Double(tokens) / $0 } }
    private func gflops(_ m: Mode) -> [Double] { m.secondsPerStep.map { m.flopsPerStep / $0 / 1e9 } }
    /// Per-round ratios, so a slow round counts against both sides of its own ratio.
    private func ratios(_ m: Mode) -> [Double] { zip(gflops(m), sgemm).map { $0 / $1 } }

    var text: String {
        let mib = 1024.0 * 1024
        var lines = [
            "train bench on \(device): \(threads) thread(s) (OpenBLAS itself on \(BLASBackend.libraryThreads)), \(sgemm.count) interleaved round(s), "
                + "medians (min–max); load average \(loadAverage.map { String(format: "%.2f", $0) }.joined(separator: " "))",
            "model: \(config.parameterCount) parameters (C=\(config.hiddenSize) F=\(config.intermediateSize) L=\(config.numHiddenLayers) "
                + "V=\(config.vocabSize), tied); batch \(batch) × \(sequenceLength) tokens = \(tokens) tokens/step"
                + (checkpointing ? "; gradient checkpointing on" : ""),
            "sgemm \(tokens)×\(config.hiddenSize)·\(config.hiddenSize)×\(config.intermediateSize): \(fmt(sgemm)) GFLOP/s",
        ]
        for m in modes {
            lines.append("\(m.name): \(fmt(tokensPerSecond(m))) tokens/s; \(String(format: "%.1f", m.flopsPerStep / 1e9)) GFLOP/step → "
                + "\(fmt(gflops(m))) GFLOP/s = \(pct(ratios(m))) of sgemm")
            let terms = m.expected.terms.map { "\($0.name) \(String(format: "%.1f", Double($0.bytes) / mib))" }.joined(separator: " + ")
            lines.append("    expected memory \(String(format: "%.1f", Double(m.expected.totalBytes) / mib)) MiB = \(terms)")
            if let measured = m.measuredBytes, let peak = m.peakBytes {
                lines.append("    measured \(String(format: "%.1f", Double(measured) / mib)) MiB (\(memoryKind) \(String(format: "%.1f", Double(peak) / mib)) MiB "
                    + "over \(String(format: "%.1f", Double(m.baselineBytes ?? 0) / mib)) MiB before the trainer); "
                    + "measured/expected \(String(format: "%.2f", Double(measured) / Double(m.expected.totalBytes)))")
            }
            if !m.profile.isEmpty {
                let total = m.profile.reduce(0) { $0 + $1.seconds }
                lines.append("    one step by op (\(String(format: "%.2f", total)) s in ops): " + m.profile.prefix(10).map {
                    "\($0.op) \(String(format: "%.3f", $0.seconds)) s (\($0.calls))"
                }.joined(separator: ", "))
            }
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var perMode: [String: Any] = [:]
        for m in modes {
            var object: [String: Any] = [
                "name": m.name, "flops_per_step": m.flopsPerStep,
                "tokens_per_s": median(tokensPerSecond(m)), "tokens_per_s_min": tokensPerSecond(m).min() ?? 0,
                "tokens_per_s_max": tokensPerSecond(m).max() ?? 0, "gflops": median(gflops(m)), "sgemm_fraction": median(ratios(m)),
                "expected_bytes": m.expected.totalBytes,
                "expected_terms": Dictionary(uniqueKeysWithValues: m.expected.terms.map { ($0.name, $0.bytes) }),
                "seconds_per_step": m.secondsPerStep,
            ]
            object["measured_bytes"] = m.measuredBytes
            object["peak_rss_bytes"] = m.peakBytes  // device bytes on the CUDA backend (see memory_kind)
            object["memory_kind"] = memoryKind
            object["baseline_rss_bytes"] = m.baselineBytes
            if !m.profile.isEmpty {
                object["profile_seconds"] = Dictionary(uniqueKeysWithValues: m.profile.map { ($0.op, $0.seconds) })
            }
            perMode[m.key] = object
        }
        let object: [String: Any] = [
            "threads": threads, "device": device.description, "rounds": sgemm.count, "batch": batch, "seq_len": sequenceLength, "tokens_per_step": tokens,
            "parameters": config.parameterCount, "gradient_checkpointing": checkpointing, "openblas_threads": BLASBackend.libraryThreads,
            "sgemm_gflops": median(sgemm), "sgemm_gflops_rounds": sgemm, "load_average": loadAverage, "modes": perMode,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func fmt(_ values: [Double]) -> String { RoundsText.range(values) }

    private func pct(_ values: [Double]) -> String { RoundsText.percent(values) }
}
