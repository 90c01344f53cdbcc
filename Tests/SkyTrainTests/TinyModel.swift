import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import SkyTrain

/// A tiny random Qwen2 or Llama with every parameter in one buffer, and a fixed two-sequence batch.
struct TinyModel {
    let config: ModelConfig
    let backend: any Backend
    let layout: ParameterLayout
    /// Parameter values, laid out by `layout`.
    let values: [Float]

    /// GQA (4 query heads over 2 kv heads) with a head width that makes q wider than the model, so every
    /// projection is non-square and a transposed gradient cannot pass unnoticed.
    init(type: ModelConfig.ModelType = .qwen2, tied: Bool = false, seed: UInt64 = 1, backend: any Backend = BLASBackend(threads: 1)) {
        self.backend = backend
        config = ModelConfig(modelType: type, vocabSize: 11, hiddenSize: 8, intermediateSize: 12, numHiddenLayers: 2,
                             numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 4, rmsNormEps: 1e-5, ropeTheta: 100,
                             tieWordEmbeddings: tied, maxPositionEmbeddings: 16)
        layout = .full(config: config)
        var rng = SeededGenerator(seed: seed)
        var values = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            // Large enough that every path carries gradient; norms near 1 as trained models have them.
            for i in 0..<entry.count {
                let u = Float(rng.next() >> 40) * 0x1p-24 - 0.5
                values[entry.offset + i] = entry.name.hasSuffix("norm.weight") ? 1 + 0.4 * u : u
            }
        }
        self.values = values
    }

    /// Two sequences of different lengths, one with a masked prompt.
    static let batch = [
        TrainingSequence(inputIds: [1, 5, 2, 9, 3, 7], labels: [-100, -100, 2, 9, 3, 7]),
        TrainingSequence(inputIds: [4, 4, 10, 0]),
    ]

    var model: TrainingModel { TrainingModel(config: config, backend: backend, maxPositions: 16) }

    /// The float32 forward's error bound relative to the logits' scale: 2 layers, sums of at most 16 terms (q's
    /// width 4 × 4 heads, the 16 positions; hidden 8, intermediate 12, vocabulary 11).
    static let forwardBound = Float32Bounds.forwardPass(layers: 2, longestSum: 16)
    /// The forward and backward's bound relative to the largest gradient.
    static let backwardBound = Float32Bounds.backwardPass(layers: 2, longestSum: 16)

    /// Parameters as a buffer and the weights viewing it.
    func parameters() -> (buffer: Tensor, weights: ModelWeights) {
        let buffer = backend.tensor(values, shape: [layout.count])
        return (buffer, ModelWeights(viewing: buffer, layout: layout, config: config))
    }

    /// Every tensor of `layout` over `values` in Float64, by name.
    static func named(_ layout: ParameterLayout, _ values: [Float]) -> [String: [Double]] {
        Dictionary(uniqueKeysWithValues: layout.entries.map { e in
            (e.name, values[e.offset..<(e.offset + e.count)].map(Double.init))
        })
    }

    /// A few element indices of each tensor: both ends, the middle and two seeded picks.
    static func probes(_ entry: ParameterLayout.Entry, seed: UInt64) -> [Int] {
        var rng = SeededGenerator(seed: seed)
        return Array(Set([0, entry.count / 2, entry.count - 1, Int(rng.next() % UInt64(entry.count)), Int(rng.next() % UInt64(entry.count))]))
            .sorted()
    }

    /// Central difference of `loss` in one coordinate of `params[name]`.
    static func centralDifference(_ params: [String: [Double]], _ name: String, _ i: Int, h: Double = 1e-5,
                                  _ loss: ([String: [Double]]) -> Double) -> Double {
        var p = params
        p[name]![i] += h
        let plus = loss(p)
        p[name]![i] -= 2 * h
        return (plus - loss(p)) / (2 * h)
    }

    /// Float32 analytic against Float64 numerical: within 1e-3 relative plus 1e-6 absolute. Dropping a
    /// term (the residual path, the RMS term, a bias) or transposing a product is off by far more.
    static func agrees(_ analytic: Float, _ numerical: Double) -> Bool {
        abs(Double(analytic) - numerical) <= 1e-3 * abs(numerical) + 1e-6
    }
}
