public import SkyModel
public import SkyTensor

/// The adapters of every layer as views into one buffer laid out by `ParameterLayout.lora(config:lora:)`;
/// the same type views the gradients.
public struct LoRAAdapters: Sendable {
    /// One projection's low-rank update B·A.
    public struct Pair: Sendable {
        /// lora_A (r, in)
        public let a: Tensor
        /// lora_B (out, r)
        public let b: Tensor
    }

    /// layers[i][target]: the adapter of that projection, absent when not targeted.
    public let layers: [[LoRATarget: Pair]]
    /// The adapter config.
    public let lora: LoRAConfig

    /// Views into `buffer`.
    public init(viewing buffer: Tensor, layout: ParameterLayout, config: ModelConfig, lora: LoRAConfig) {
        layers = (0..<config.numHiddenLayers).map { i in
            var pairs: [LoRATarget: Pair] = [:]
            for target in lora.targets {
                let p = target.peftPrefix(layer: i)
                pairs[target] = Pair(a: layout.view(of: p + "lora_A.weight", in: buffer), b: layout.view(of: p + "lora_B.weight", in: buffer))
            }
            return pairs
        }
        self.lora = lora
    }

    /// PEFT's initialisation: A uniform in ±1/√in (kaiming_uniform with a = √5), B zeros, so training starts
    /// from the base model exactly.
    public func initialize(seed: UInt64, backend: any Backend) {
        var rng = SeededGenerator(seed: seed)
        for layer in layers {
            for target in LoRATarget.allCases {
                guard let pair = layer[target] else { continue }
                let bound = 1 / Float(pair.a.rowLength).squareRoot()
                let values = (0..<pair.a.count).map { _ in Float(rng.next() >> 40) * 0x1p-24 * 2 * bound - bound }
                backend.copy(pair.a, backend.tensor(values, shape: pair.a.shape))
                backend.fill(pair.b, 0)
            }
        }
    }
}
