import Foundation
import SkyModel
import SkyNumericsTestSupport
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

    /// The model on `backend` (the BLAS backend unless a test names another).
    func model(backend: any Backend = Self.backend) throws -> CausalLM {
        try CausalLM.load(directory: FixtureFiles.url(name), backend: backend, maxPositions: 128)
    }

    func cases() throws -> [Case] {
        let reference = try FixtureFiles.json("\(name)/reference.json") as? [String: Any] ?? [:]
        let logits = try SafetensorsFile(path: FixtureFiles.url("\(name)/reference.safetensors").path)
        return try (reference["cases"] as? [[String: Any]] ?? []).enumerated().map { i, c in
            Case(ids: (c["ids"] as? [Int] ?? []).map(Int32.init), greedy: (c["greedy"] as? [Int] ?? []).map(Int32.init),
                 logits: try logits.floats("logits.\(i)"))
        }
    }

    /// How far two float32 forwards of `config` over `positions` tokens may differ, relative to the logits' scale: twice
    /// the forward's bound (each is within it of the exact logits; see `Float32Bounds.forwardPass`), its longest sum
    /// the widest of hidden, intermediate, attention width and positions. `weightRounding` for weights stored narrower.
    static func tolerance(_ config: ModelConfig, positions: Int, weightRounding: Double = 0) -> Double {
        let longest = max(config.hiddenSize, config.intermediateSize, config.numAttentionHeads * config.headDim, positions)
        return 2 * Float32Bounds.forwardPass(layers: config.numHiddenLayers, longestSum: longest, weightRounding: weightRounding)
    }

    /// Greedy decoding checked as float32 allows, by teacher forcing transformers' continuation through `model`: at every
    /// step transformers' token must be Sky's argmax or within the tolerance of it (`problems` says where not), and
    /// `decided` counts the leading steps whose top two logits are further apart than the tolerance. Past the first
    /// near tie a greedy continuation depends on the kernels' last bits, so only that prefix must match exactly.
    func greedySteps(_ c: Case, model: CausalLM) throws -> (decided: Int, problems: [String]) {
        let input = c.ids + c.greedy.dropLast()
        let logits = model.backend.toArray(try model.forward([(input, model.makeCache(capacity: input.count))], allLogits: true))
        let vocabulary = model.config.vocabSize
        let rows = (0..<c.greedy.count).map { step in
            let row = (c.ids.count - 1 + step) * vocabulary
            return Array(logits[row..<(row + vocabulary)])
        }
        let allowed = Self.tolerance(model.config, positions: input.count) * Float32Bounds.scale(rows.flatMap { $0 })
        var decided: Int?
        var problems: [String] = []
        for (step, row) in rows.enumerated() {
            let sorted = row.enumerated().sorted { $0.element > $1.element }
            let chosen = Double(row[Int(c.greedy[step])])
            if Double(sorted[0].element) - chosen > allowed {
                problems.append("step \(step): transformers chose \(c.greedy[step]) at \(chosen), Sky's top is \(sorted[0].offset) at \(sorted[0].element)")
            }
            if decided == nil, Double(sorted[0].element - sorted[1].element) <= allowed { decided = step }
        }
        return (decided ?? c.greedy.count, problems)
    }

    /// Leading steps of `tokens` (a greedy continuation of `prompt` by `model`) whose top two logits are further apart
    /// than the float32 tolerance: the part another summation order must reproduce exactly.
    static func decidedSteps(model: CausalLM, prompt: [Int32], tokens: [Int32]) throws -> Int {
        let input = prompt + tokens.dropLast()
        let logits = model.backend.toArray(try model.forward([(input, model.makeCache(capacity: input.count))], allLogits: true))
        let vocabulary = model.config.vocabSize
        let allowed = tolerance(model.config, positions: input.count) * Float32Bounds.scale(logits)
        for step in 0..<tokens.count {
            let row = (prompt.count - 1 + step) * vocabulary
            let top = logits[row..<(row + vocabulary)].sorted(by: >)
            if Double(top[0] - top[1]) <= allowed { return step }
        }
        return tokens.count
    }

    /// Nil when `actual` is within `tolerance` × the scale of `expected`, else what differs, for a failure message.
    static func disagreement(_ actual: [Float], _ expected: [Float], tolerance: Double) -> String? {
        let difference = Float32Bounds.largestDifference(actual, expected), allowed = tolerance * Float32Bounds.scale(expected)
        return difference <= allowed ? nil : "largest difference \(difference) > \(allowed) (\(tolerance) × largest logit)"
    }

    /// Largest |a − b| / max(1, |b|): relative where logits are large, absolute near zero.
    static func worstRelativeError(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "\(a.count) vs \(b.count) values")
        return zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    }
}
