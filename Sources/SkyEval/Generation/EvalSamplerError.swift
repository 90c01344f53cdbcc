/// A request `EvalSampler` refuses before generating anything, naming the problem.
public enum EvalSamplerError: Error, Equatable, CustomStringConvertible {
    /// Samples per problem, batch size or token budget below 1.
    case invalidSetting(name: String, value: Int)
    /// Two prompts share a key, so their samples would share seeds and rows.
    case duplicateKey(String)
    /// A prompt has no tokens.
    case emptyPrompt(key: String)
    /// Prompt plus max new tokens exceed the model's positions.
    case promptTooLong(key: String, promptTokens: Int, maxNewTokens: Int, positions: Int)
    /// A prompt token is outside the vocabulary.
    case tokenOutOfRange(key: String, index: Int, id: Int32, vocabularySize: Int)

    public var description: String {
        switch self {
        case let .invalidSetting(name, value): "\(name) must be at least 1, got \(value)"
        case let .duplicateKey(key): "problem key '\(key)' appears more than once"
        case let .emptyPrompt(key): "problem '\(key)': the prompt has no tokens"
        case let .promptTooLong(key, prompt, maxNew, positions):
            "problem '\(key)': prompt (\(prompt) tokens) + max new tokens (\(maxNew)) exceed the model's \(positions) positions"
        case let .tokenOutOfRange(key, index, id, vocabularySize):
            "problem '\(key)': prompt token \(index) is id \(id), outside the vocabulary of \(vocabularySize)"
        }
    }
}
