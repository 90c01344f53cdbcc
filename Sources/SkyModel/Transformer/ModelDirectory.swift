public import Foundation
public import SkyTensor

/// Writes a model as a Hugging Face directory (config.json + model.safetensors) that transformers can load.
public enum ModelDirectory {
    /// Writes `config` and `weights` into `directory` (created if needed); BF16 halves the file size.
    public static func write(config: ModelConfig, weights: ModelWeights, backend: any Backend, to directory: URL,
                             dtype: SafetensorsDType = .f32) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configData = try JSONSerialization.data(withJSONObject: config.jsonObject(), options: [.prettyPrinted, .sortedKeys])
        try configData.write(to: directory.appendingPathComponent("config.json"), options: .atomic)
        let entries = weights.namedTensors(config: config).map {
            SafetensorsWriter.Entry(name: $0.name, shape: $0.tensor.shape, values: backend.toArray($0.tensor))
        }
        try SafetensorsWriter.write(entries, to: directory.appendingPathComponent("model.safetensors"), dtype: dtype,
                                    metadata: ["format": "pt"])
    }

    /// ChatML as a Jinja template for tokenizer_config.json, with `{% generation %}` around replies so
    /// transformers' `return_assistant_tokens_mask` marks the same tokens as `Tokenizer.encodeChat`.
    public static let chatMLJinja = "{% for message in messages %}{% if message['role'] == 'assistant' %}"
        + "{{ '<|im_start|>assistant\\n' }}{% generation %}{{ message['content'] + '<|im_end|>' }}{% endgeneration %}{{ '\\n' }}"
        + "{% else %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endif %}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"

    /// Writes tokenizer.json and a tokenizer_config.json naming the ChatML template and end-of-turn token.
    public static func writeTokenizer(_ tokenizerJSON: Data, to directory: URL, eosToken: String = "<|im_end|>",
                                      padToken: String = "<|endoftext|>") throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try tokenizerJSON.write(to: directory.appendingPathComponent("tokenizer.json"), options: .atomic)
        let config: [String: Any] = ["chat_template": chatMLJinja, "eos_token": eosToken, "pad_token": padToken,
                                     "tokenizer_class": "PreTrainedTokenizerFast", "clean_up_tokenization_spaces": false]
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
            .write(to: directory.appendingPathComponent("tokenizer_config.json"), options: .atomic)
    }
}
