import Foundation
import SkyModel
import SkyTensor

/// Part (c) of `skyctl bench model`: a model with Qwen2.5-0.5B's shapes, written once with random bf16
/// weights, then loaded and run in a fresh child process per round so VmRSS/VmHWM describe that load alone.
struct LargeModelProbe {
    /// Qwen2.5-0.5B's config.json values (151,936-token vocabulary, tied embeddings).
    static let config = ModelPreset.all.first { $0.name == "qwen2.5-0.5b" }!
        .config(modelType: .qwen2, vocabularySize: 151_936, bosTokenId: 151_643, eosTokenIds: [151_645])

    /// Where the checkpoint was written.
    let directory: URL
    /// Seconds it took to write.
    let writeSeconds: Double
    /// Bytes of the weights file written.
    let fileBytes: Int

    /// What one child measured.
    struct Measurement: Codable {
        var loadSeconds: Double
        var residentBytes: Int
        var peakResidentBytes: Int
        /// VmHWM after the decode too: weights read in place from the mapped file count once touched.
        var peakAfterDecodeBytes: Int
        var decodeTokensPerSecond: Double
        var bytesPerToken: Double

        var jsonLine: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }
    }

    /// Writes the random checkpoint into a fresh temporary directory.
    static func prepare() throws -> LargeModelProbe {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-bench-qwen-\(UUID().uuidString.prefix(8))")
        let start = ContinuousClock.now
        try RandomCheckpoint.write(config: config, to: directory, dtype: .bf16, seed: 7)
        let seconds = (ContinuousClock.now - start).seconds
        let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent("model.safetensors").path))?[.size]
        return LargeModelProbe(directory: directory, writeSeconds: seconds, fileBytes: (size as? Int) ?? 0)
    }

    /// In the child: load, read /proc/self/status, decode `steps` tokens after a 16-token prompt.
    static func run(directory: URL, backend: BLASBackend, steps: Int, matrices: DType) throws -> Measurement {
        let start = ContinuousClock.now
        let model = try CausalLM.load(directory: directory, backend: backend, maxPositions: 16 + steps, matrices: matrices)
        let loadSeconds = (ContinuousClock.now - start).seconds
        let memory = ResidentMemory.read() ?? ResidentMemory(current: 0, peak: 0)
        let decode = try DecodeBenchmark.decodeSeconds(model: model, prompt: 16, steps: steps)
        let after = ResidentMemory.read() ?? memory
        return Measurement(loadSeconds: loadSeconds, residentBytes: memory.current, peakResidentBytes: memory.peak,
                           peakAfterDecodeBytes: after.peak,
                           decodeTokensPerSecond: Double(steps) / decode,
                           bytesPerToken: DecodeBenchmark.bytesPerToken(config: model.config, position: 16 + steps / 2,
                                                                        bytesPerWeight: matrices.byteCount))
    }

    /// Runs this same executable as `skyctl bench model --load-probe DIR` and parses its JSON line.
    func runChild(threads: Int, steps: Int, matrices: DType) throws -> Measurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        process.arguments = ["bench", "model", "--load-probe", directory.path, "--threads", "\(threads)", "--large-decode-steps", "\(steps)",
                             "--load-matrices", matrices.rawValue]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchFailure("load probe child exited with status \(process.terminationStatus)")
        }
        return try JSONDecoder().decode(Measurement.self, from: data)
    }
}

/// A benchmark step that could not run, with the reason.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
