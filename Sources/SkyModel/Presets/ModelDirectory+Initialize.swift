public import Foundation
public import SkyTensor

extension ModelDirectory {
    /// Writes a randomly initialised `preset` model with `tokenizerJSON`'s vocabulary into `directory`:
    /// config.json, model.safetensors, tokenizer.json and tokenizer_config.json. Returns the config written.
    ///
    /// BOS is `<|endoftext|>` and EOS `<|im_end|>` (ChatML's end of turn) when the tokenizer has them, so
    /// chat generation stops at the end of a reply.
    @discardableResult
    public static func initialize(preset: ModelPreset, modelType: ModelConfig.ModelType, tokenizerJSON: Data, seed: UInt64,
                                  dtype: SafetensorsDType = .f32, to directory: URL, backend: any Backend) throws -> ModelConfig {
        let tokenizer = try Tokenizer(data: tokenizerJSON)
        let bos = tokenizer.id(of: "<|endoftext|>")
        let eos = tokenizer.id(of: "<|im_end|>") ?? bos
        let config = preset.config(modelType: modelType, vocabularySize: tokenizer.vocabularySize,
                                   bosTokenId: bos.map(Int.init), eosTokenIds: eos.map { [Int($0)] } ?? [])
        try config.validate()
        let weights = try ModelWeights.random(config: config, seed: seed, backend: backend)
        try write(config: config, weights: weights, backend: backend, to: directory, dtype: dtype)
        try writeTokenizer(tokenizerJSON, to: directory, eosToken: eos.flatMap { tokenizer.tokenText($0) } ?? "<|im_end|>",
                           padToken: bos.flatMap { tokenizer.tokenText($0) } ?? "<|endoftext|>")
        return config
    }
}
