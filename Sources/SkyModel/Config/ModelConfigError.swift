/// What was wrong with a model's config.json or weights, naming the key or tensor.
public enum ModelConfigError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read or is not a JSON object.
    case unreadable(path: String, reason: String)
    /// `model_type` is not one Sky runs.
    case unsupportedModelType(String)
    /// A required key is absent.
    case missingKey(String)
    /// A key has the wrong type or an impossible value.
    case invalidValue(key: String, problem: String)
    /// Weights the architecture needs are absent from the checkpoint.
    case missingWeights([String])
    /// Weights are present with the wrong shape: "name: expected [a, b], found [c, d]".
    case misshapenWeights([String])

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read model config: \(reason)"
        case let .unsupportedModelType(type): "model_type '\(type)' is not supported (Sky runs qwen2 and llama)"
        case let .missingKey(key): "config.json lacks '\(key)'"
        case let .invalidValue(key, problem): "config.json '\(key)': \(problem)"
        case let .missingWeights(names): "checkpoint lacks \(names.count) weight(s): \(names.prefix(8).joined(separator: ", "))"
        case let .misshapenWeights(problems): "checkpoint has mis-shaped weight(s): \(problems.prefix(8).joined(separator: "; "))"
        }
    }
}
