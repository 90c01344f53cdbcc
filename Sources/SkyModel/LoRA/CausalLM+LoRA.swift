public import Foundation
public import SkyTensor

extension CausalLM {
    /// Loads a Hugging Face model directory with the PEFT adapter in `adapter` applied unmerged.
    public static func load(directory: URL, adapter: URL, backend: any Backend, maxPositions: Int? = nil) throws -> CausalLM {
        let config = try ModelConfig(contentsOf: directory)
        let source = try ShardedCheckpoint.open(modelDirectory: directory.path)
        let weights = try ModelWeights(config: config, source: source, backend: backend)
        let lora = try LoRAAdapter.load(directory: adapter, model: config, backend: backend)
        return try CausalLM(config: config, weights: weights, adapter: lora, backend: backend, maxPositions: maxPositions)
    }
}

extension LoRAAdapter {
    /// `weights` with every adapted projection replaced by a new tensor W + s·B·A; the rest are shared.
    public func merged(into weights: ModelWeights, backend: any Backend) -> ModelWeights {
        var out = weights
        for (i, pairs) in layers.enumerated() {
            for (module, pair) in pairs {
                let w = weights.layers[i][keyPath: module.weightPath]
                let updated = backend.zeros(w.shape)
                backend.copy(updated, w)
                backend.matmul(updated, pair.b, pair.a, transposeA: false, transposeB: false, alpha: scaling, beta: 1)  // (out, in)
                out.layers[i][keyPath: module.weightPath] = updated
            }
        }
        return out
    }
}

extension LoRAModule {
    /// Where this projection's weight lives in a layer.
    var weightPath: WritableKeyPath<ModelWeights.Layer, Tensor> {
        switch self {
        case .q: \.q
        case .k: \.k
        case .v: \.v
        case .o: \.o
        case .gate: \.gate
        case .up: \.up
        case .down: \.down
        }
    }
}
