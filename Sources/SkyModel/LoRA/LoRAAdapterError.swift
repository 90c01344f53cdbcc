/// What was wrong with a PEFT adapter directory, naming the file, field or tensor.
public enum LoRAAdapterError: Error, Equatable, CustomStringConvertible {
    /// A file of the adapter could not be read.
    case unreadable(path: String, reason: String)
    /// adapter_config.json has a field Sky cannot honour or that is malformed.
    case invalidConfig(field: String, problem: String)
    /// adapter_model.safetensors holds a key that is not a LoRA A/B of a targeted projection of the model.
    case unexpectedTensor(key: String, problem: String)
    /// A tensor has a shape that does not fit the model and rank.
    case misshapen(key: String, found: [Int], expected: [Int])
    /// A targeted projection lacks its A or B.
    case missingTensor(key: String)
    /// The adapter was loaded for a model of another shape than the one it is applied to.
    case modelMismatch(problem: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read adapter: \(reason)"
        case let .invalidConfig(field, problem): "adapter_config.json '\(field)': \(problem)"
        case let .unexpectedTensor(key, problem): "adapter_model.safetensors '\(key)': \(problem)"
        case let .misshapen(key, found, expected): "adapter_model.safetensors '\(key)': shape \(found), expected \(expected)"
        case let .missingTensor(key): "adapter_model.safetensors lacks '\(key)'"
        case let .modelMismatch(problem): "adapter does not fit the model: \(problem)"
        }
    }
}
