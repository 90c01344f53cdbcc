public import SkyTensor
import Foundation

/// cos and sin of RoPE angles for every position, computed in float32 the way transformers does.
public struct RotaryTable: Sendable {
    /// cos (P, HD/2)
    public let cos: Tensor
    /// sin (P, HD/2)
    public let sin: Tensor
    /// Number of positions covered (P).
    public let positions: Int

    /// Inverse frequencies 1 / θ^(2i/HD), then Llama 3 scaling when configured (`rope_init_fn` in transformers).
    public static func inverseFrequencies(config: ModelConfig) -> [Float] {
        let dim = config.headDim
        let base = Float(config.ropeTheta)
        let plain = stride(from: 0, to: dim, by: 2).map { i in 1 / Foundation.pow(base, Float(i) / Float(dim)) }
        return config.ropeScaling?.scale(plain) ?? plain
    }

    /// Tables for positions 0..<positions.
    public init(config: ModelConfig, positions: Int, backend: any Backend) {
        let inverse = Self.inverseFrequencies(config: config)
        let half = inverse.count
        var c = [Float](repeating: 0, count: positions * half), s = c
        for p in 0..<positions {
            for i in 0..<half {
                // freqs = position · inv_freq in float32, then cos/sin in float32, as HF's rotary module.
                let angle = Float(p) * inverse[i]
                c[p * half + i] = Foundation.cos(angle)
                s[p * half + i] = Foundation.sin(angle)
            }
        }
        cos = backend.tensor(c, shape: [positions, half])
        sin = backend.tensor(s, shape: [positions, half])
        self.positions = positions
    }
}
