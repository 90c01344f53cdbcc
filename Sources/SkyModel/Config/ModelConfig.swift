public import Foundation

/// The architecture of a Qwen2 or Llama checkpoint, read from a Hugging Face `config.json`.
public struct ModelConfig: Sendable, Equatable {
    /// The two architectures Sky runs; they differ only in q/k/v biases and defaults.
    public enum ModelType: String, Sendable {
        /// Qwen2 / Qwen2.5: biases on q, k and v projections.
        case qwen2
        /// Llama 2/3: no attention biases unless `attention_bias` says so.
        case llama
    }

    /// Which architecture.
    public var modelType: ModelType
    /// Rows of the embedding table (V).
    public var vocabSize: Int
    /// Model width (C).
    public var hiddenSize: Int
    /// MLP width (F).
    public var intermediateSize: Int
    /// Transformer blocks.
    public var numHiddenLayers: Int
    /// Query heads (NH).
    public var numAttentionHeads: Int
    /// Key/value heads (NKV); fewer than NH means grouped-query attention.
    public var numKeyValueHeads: Int
    /// Per-head width (HD).
    public var headDim: Int
    /// RMSNorm epsilon.
    public var rmsNormEps: Float
    /// RoPE base.
    public var ropeTheta: Double
    /// Llama 3 RoPE scaling, when configured.
    public var ropeScaling: Llama3RopeScaling?
    /// Whether lm_head reuses the embedding table.
    public var tieWordEmbeddings: Bool
    /// Whether q/k/v projections carry biases (always for Qwen2).
    public var attentionBias: Bool
    /// Longest context the model was configured for.
    public var maxPositionEmbeddings: Int
    /// Beginning-of-sequence token, when the config names one.
    public var bosTokenId: Int?
    /// Tokens that end generation.
    public var eosTokenIds: [Int]

    /// A config with every field given.
    public init(modelType: ModelType, vocabSize: Int, hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int,
                numAttentionHeads: Int, numKeyValueHeads: Int, headDim: Int? = nil, rmsNormEps: Float = 1e-6,
                ropeTheta: Double = 10_000, ropeScaling: Llama3RopeScaling? = nil, tieWordEmbeddings: Bool = false,
                attentionBias: Bool? = nil, maxPositionEmbeddings: Int = 4096, bosTokenId: Int? = nil, eosTokenIds: [Int] = []) {
        self.modelType = modelType
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads
        self.headDim = headDim ?? hiddenSize / max(numAttentionHeads, 1)
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.ropeScaling = ropeScaling
        self.tieWordEmbeddings = tieWordEmbeddings
        self.attentionBias = attentionBias ?? (modelType == .qwen2)
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.bosTokenId = bosTokenId
        self.eosTokenIds = eosTokenIds
    }

    /// Reads `config.json` from a model directory (or a path to the file itself).
    public init(contentsOf url: URL) throws {
        let file = url.hasDirectoryPath || url.pathExtension != "json" ? url.appendingPathComponent("config.json") : url
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: try Data(contentsOf: file)) } catch {
            throw ModelConfigError.unreadable(path: file.path, reason: "\(error)")
        }
        guard let json = object as? [String: Any] else { throw ModelConfigError.unreadable(path: file.path, reason: "not a JSON object") }
        try self.init(json: json)
    }

    /// Builds a config from a parsed `config.json` object, validating every value.
    public init(json: [String: Any]) throws {
        let reader = ConfigReader(json: json)
        let typeName: String = try reader.required("model_type")
        guard let type = ModelType(rawValue: typeName) else { throw ModelConfigError.unsupportedModelType(typeName) }
        let heads: Int = try reader.required("num_attention_heads", positive: true)
        let hidden: Int = try reader.required("hidden_size", positive: true)
        // Newer transformers (v5) nest RoPE settings under rope_parameters; older ones use rope_scaling.
        let rope = (json["rope_parameters"] as? [String: Any]) ?? (json["rope_scaling"] as? [String: Any]) ?? [:]
        let theta = try reader.optionalDouble("rope_theta") ?? ConfigReader(json: rope).optionalDouble("rope_theta") ?? 10_000
        self.init(
            modelType: type,
            vocabSize: try reader.required("vocab_size", positive: true),
            hiddenSize: hidden,
            intermediateSize: try reader.required("intermediate_size", positive: true),
            numHiddenLayers: try reader.required("num_hidden_layers", positive: true),
            numAttentionHeads: heads,
            numKeyValueHeads: try reader.optionalInt("num_key_value_heads") ?? heads,
            headDim: try reader.optionalInt("head_dim"),
            rmsNormEps: Float(try reader.optionalDouble("rms_norm_eps") ?? 1e-6),
            ropeTheta: theta,
            ropeScaling: try Self.llama3Scaling(rope),
            tieWordEmbeddings: json["tie_word_embeddings"] as? Bool ?? false,
            attentionBias: type == .qwen2 ? true : (json["attention_bias"] as? Bool ?? false),
            maxPositionEmbeddings: try reader.optionalInt("max_position_embeddings") ?? 4096,
            bosTokenId: try reader.optionalInt("bos_token_id"),
            eosTokenIds: try reader.intOrList("eos_token_id"))
        try validate()
    }

    private static func llama3Scaling(_ rope: [String: Any]) throws -> Llama3RopeScaling? {
        let kind = (rope["rope_type"] as? String) ?? (rope["type"] as? String) ?? "default"
        switch kind {
        case "default": return nil
        case "llama3":
            let r = ConfigReader(json: rope, prefix: "rope_parameters.")
            return Llama3RopeScaling(
                factor: try r.requiredDouble("factor"), lowFreqFactor: try r.requiredDouble("low_freq_factor"),
                highFreqFactor: try r.requiredDouble("high_freq_factor"),
                originalMaxPositionEmbeddings: try r.requiredDouble("original_max_position_embeddings"))
        default:
            throw ModelConfigError.invalidValue(key: "rope_type", problem: "'\(kind)' is not supported (default or llama3)")
        }
    }

    /// Checks relations between values that a forward pass relies on.
    public func validate() throws {
        guard numKeyValueHeads > 0, numAttentionHeads % numKeyValueHeads == 0 else {
            throw ModelConfigError.invalidValue(key: "num_key_value_heads",
                                                problem: "\(numKeyValueHeads) does not divide num_attention_heads \(numAttentionHeads)")
        }
        guard headDim > 0, headDim % 2 == 0 else {
            throw ModelConfigError.invalidValue(key: "head_dim", problem: "\(headDim) must be positive and even for RoPE")
        }
        guard (1...(1 << 22)).contains(maxPositionEmbeddings) else {
            throw ModelConfigError.invalidValue(key: "max_position_embeddings", problem: "\(maxPositionEmbeddings) is outside 1...4194304")
        }
        guard rmsNormEps > 0, ropeTheta > 0 else {
            throw ModelConfigError.invalidValue(key: "rms_norm_eps/rope_theta", problem: "must be positive")
        }
    }
}
