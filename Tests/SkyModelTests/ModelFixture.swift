import Foundation
import SkyModel
import SkyTensor

/// One of the tiny HF models in Fixtures with the logits and greedy continuations transformers produced.
struct ModelFixture: Sendable, CustomStringConvertible {
    struct Case: Sendable {
        let ids: [Int32]
        let greedy: [Int32]
        let logits: [Float]
    }

    let name: String
    var description: String { name }

    static let names = ["qwen-tied", "qwen-untied", "llama", "qwen-f16"]
    static let backend = BLASBackend(threads: 2)

    func model() throws -> CausalLM {
        try CausalLM.load(directory: FixtureFiles.url(name), backend: Self.backend, maxPositions: 128)
    }

    func cases() throws -> [Case] {
        let reference = try FixtureFiles.json("\(name)/reference.json") as? [String: Any] ?? [:]
        let logits = try SafetensorsFile(path: FixtureFiles.url("\(name)/reference.safetensors").path)
        return try (reference["cases"] as? [[String: Any]] ?? []).enumerated().map { i, c in
            Case(ids: (c["ids"] as? [Int] ?? []).map(Int32.init), greedy: (c["greedy"] as? [Int] ?? []).map(Int32.init),
                 logits: try logits.floats("logits.\(i)"))
        }
    }

    /// Largest |a − b| / max(1, |b|): relative where logits are large, absolute near zero.
    static func worstRelativeError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }
}
