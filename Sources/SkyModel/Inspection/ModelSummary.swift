public import Foundation

/// What `skyctl model info` prints about a model directory, read from headers only (no weights decoded).
public struct ModelSummary: Sendable {
    /// The directory read.
    public var directory: URL
    /// The parsed config.json.
    public var config: ModelConfig
    /// Elements over every tensor in the checkpoint.
    public var parameterCount: Int
    /// Parameters per stored element type ("BF16", "F32", …).
    public var parametersByDType: [String: Int]
    /// Tokenizer vocabulary size (one past the largest id), when tokenizer.json is present.
    public var tokenizerVocabularySize: Int?
    /// The tokenizer's special tokens with their ids.
    public var specialTokens: [(id: Int32, text: String)]

    /// Reads config.json, the safetensors headers and tokenizer.json of `directory`.
    ///
    /// Every failure names the file: a missing directory, a missing or malformed config, a bad checkpoint.
    public init(directory: URL) throws {
        self.directory = directory
        try ModelDirectory.checkExists(directory)
        let configFile = directory.appendingPathComponent("config.json")
        do { config = try ModelConfig(contentsOf: configFile) } catch {
            throw ModelDirectoryError.invalidFile(path: configFile.path, problem: "\(error)")
        }
        let source: any TensorSource
        do { source = try ShardedCheckpoint.open(modelDirectory: directory.path) } catch {
            throw ModelDirectoryError.invalidFile(path: directory.path, problem: "\(error)")
        }
        var total = 0, byType: [String: Int] = [:]
        for name in source.tensorNames {
            guard let info = source.info(name) else { continue }
            total += info.count
            byType[info.dtype.rawValue, default: 0] += info.count
        }
        parameterCount = total
        parametersByDType = byType
        let tokenizerFile = directory.appendingPathComponent("tokenizer.json")
        if FileManager.default.fileExists(atPath: tokenizerFile.path) {
            let tokenizer: Tokenizer
            do { tokenizer = try Tokenizer(contentsOf: tokenizerFile) } catch {
                throw ModelDirectoryError.invalidFile(path: tokenizerFile.path, problem: "\(error)")
            }
            tokenizerVocabularySize = tokenizer.vocabularySize
            specialTokens = tokenizer.specialTokens
        } else {
            tokenizerVocabularySize = nil
            specialTokens = []
        }
    }

    /// Human-readable lines, one fact per line.
    public var lines: [String] {
        let c = config
        var out = [
            "directory: \(directory.path)",
            "architecture: \(c.modelType.rawValue)",
            "layers: \(c.numHiddenLayers), hidden: \(c.hiddenSize), intermediate: \(c.intermediateSize)",
            "heads: \(c.numAttentionHeads) query / \(c.numKeyValueHeads) key-value, head dim: \(c.headDim)",
            "vocabulary (config): \(c.vocabSize), tied embeddings: \(c.tieWordEmbeddings), context: \(c.maxPositionEmbeddings)",
            "parameters: \(parameterCount) (\(ParameterCountFormat.short(parameterCount)))",
            "dtype: " + parametersByDType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
        ]
        if let size = tokenizerVocabularySize {
            out.append("tokenizer vocabulary: \(size)")
            out.append("special tokens: " + specialTokens.map { "\($0.text)=\($0.id)" }.joined(separator: " "))
        } else {
            out.append("tokenizer: none (no tokenizer.json)")
        }
        return out
    }

    /// The same facts as a JSON-ready object.
    public var jsonObject: [String: Any] {
        var json: [String: Any] = [
            "directory": directory.path, "architecture": config.modelType.rawValue, "layers": config.numHiddenLayers,
            "hidden_size": config.hiddenSize, "intermediate_size": config.intermediateSize,
            "num_attention_heads": config.numAttentionHeads, "num_key_value_heads": config.numKeyValueHeads,
            "head_dim": config.headDim, "vocab_size": config.vocabSize, "tie_word_embeddings": config.tieWordEmbeddings,
            "max_position_embeddings": config.maxPositionEmbeddings, "parameters": parameterCount, "dtypes": parametersByDType,
            "special_tokens": Dictionary(specialTokens.map { ($0.text, Int($0.id)) }, uniquingKeysWith: { a, _ in a }),
        ]
        if let size = tokenizerVocabularySize { json["tokenizer_vocab_size"] = size }
        return json
    }
}
