public import Foundation
public import SkyTensor

/// A PEFT LoRA adapter in backend memory, validated against one model's config and applied at inference
/// without merging: y = W·x (+ bias) + s·B·(A·x).
public struct LoRAAdapter: Sendable {
    /// One projection's low-rank update.
    public struct Pair: Sendable {
        /// lora_A (r, in)
        public let a: Tensor
        /// lora_B (out, r)
        public let b: Tensor

        /// A pair from tensors in backend memory.
        public init(a: Tensor, b: Tensor) {
            self.a = a
            self.b = b
        }
    }

    /// Rank, alpha, targets and scaling rule.
    public let config: LoRAAdapterConfig
    /// layers[i][module]: that projection's update; absent when not targeted.
    public let layers: [[LoRAModule: Pair]]

    /// The factor s on B·A·x.
    public var scaling: Float { config.scaling }

    /// An adapter from tensors already in backend memory (one dictionary per layer).
    public init(config: LoRAAdapterConfig, layers: [[LoRAModule: Pair]]) {
        self.config = config
        self.layers = layers
    }

    /// Reads adapter_config.json and adapter_model.safetensors from `directory`, checking every key and shape
    /// against `model`: unknown keys, untargeted modules, layers the model lacks and an A without its B are errors.
    public static func load(directory: URL, model: ModelConfig, backend: any Backend) throws(LoRAAdapterError) -> LoRAAdapter {
        let configURL = directory.appendingPathComponent("adapter_config.json")
        let data: Data
        do { data = try Data(contentsOf: configURL) } catch { throw .unreadable(path: configURL.path, reason: "\(error)") }
        let config = try LoRAAdapterConfig(json: data)
        let weightsPath = directory.appendingPathComponent("adapter_model.safetensors").path
        let file: SafetensorsFile
        do { file = try SafetensorsFile(path: weightsPath) } catch { throw .unreadable(path: weightsPath, reason: "\(error)") }
        var found: [Int: [LoRAModule: [String: String]]] = [:]  // layer → module → "A"/"B" → key
        for key in file.tensorNames {
            let (layer, module, half) = try parse(key: key, model: model, config: config)
            let expected = half == "A" ? [config.rank, module.dimensions(config: model).input] : [module.dimensions(config: model).output, config.rank]
            let shape = file.info(key)?.shape ?? []
            guard shape == expected else { throw .misshapen(key: key, found: shape, expected: expected) }
            found[layer, default: [:]][module, default: [:]][half] = key
        }
        var layers: [[LoRAModule: Pair]] = []
        for layer in 0..<model.numHiddenLayers {
            var pairs: [LoRAModule: Pair] = [:]
            for module in LoRAModule.allCases where config.targets.contains(module) {
                let keys = found[layer]?[module] ?? [:]
                guard let aKey = keys["A"] else { throw .missingTensor(key: module.peftPrefix(layer: layer) + "lora_A.weight") }
                guard let bKey = keys["B"] else { throw .missingTensor(key: module.peftPrefix(layer: layer) + "lora_B.weight") }
                do {
                    pairs[module] = Pair(a: try file.tensor(aKey, on: backend), b: try file.tensor(bKey, on: backend))
                } catch { throw .unreadable(path: weightsPath, reason: "\(error)") }
            }
            layers.append(pairs)
        }
        return LoRAAdapter(config: config, layers: layers)
    }

    /// Splits "base_model.model.model.layers.N.<module path>.lora_{A,B}.weight".
    private static func parse(key: String, model: ModelConfig,
                              config: LoRAAdapterConfig) throws(LoRAAdapterError) -> (Int, LoRAModule, String) {
        let prefix = "base_model.model.model.layers."
        guard key.hasPrefix(prefix) else { throw .unexpectedTensor(key: key, problem: "not a LoRA weight of a decoder layer (expected '\(prefix)N.…')") }
        let parts = key.dropFirst(prefix.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 5, let layer = Int(parts[0]), String(parts[0]) == String(layer), parts[4] == "weight",
              parts[3] == "lora_A" || parts[3] == "lora_B" else {
            throw .unexpectedTensor(key: key, problem: "expected '\(prefix)N.<self_attn|mlp>.<proj>.lora_<A|B>.weight'")
        }
        guard let module = LoRAModule(rawValue: String(parts[2])), module.modulePath == "\(parts[1]).\(parts[2])" else {
            throw .unexpectedTensor(key: key, problem: "'\(parts[1]).\(parts[2])' is not a projection Sky adapts")
        }
        guard layer < model.numHiddenLayers else {
            throw .unexpectedTensor(key: key, problem: "layer \(layer) does not exist (the model has \(model.numHiddenLayers))")
        }
        guard config.targets.contains(module) else {
            throw .unexpectedTensor(key: key, problem: "\(module.rawValue) is not in target_modules")
        }
        return (layer, module, parts[3] == "lora_A" ? "A" : "B")
    }

    /// Throws unless this adapter has one entry per layer of `model` with shapes that fit it.
    public func check(fits model: ModelConfig) throws(LoRAAdapterError) {
        guard layers.count == model.numHiddenLayers else {
            throw .modelMismatch(problem: "adapter has \(layers.count) layers, the model \(model.numHiddenLayers)")
        }
        for (i, pairs) in layers.enumerated() {
            for (module, pair) in pairs {
                let (input, output) = module.dimensions(config: model)
                let key = module.peftPrefix(layer: i)
                guard pair.a.shape == [config.rank, input] else {
                    throw .misshapen(key: key + "lora_A.weight", found: pair.a.shape, expected: [config.rank, input])
                }
                guard pair.b.shape == [output, config.rank] else {
                    throw .misshapen(key: key + "lora_B.weight", found: pair.b.shape, expected: [output, config.rank])
                }
            }
        }
    }
}
