/// Why a prompt template could not be parsed or applied.
public enum PromptTemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A template name that is not "sky-t1", "plain" or "custom".
    case unknownName(String)
    /// `{name}` in a custom template is not a placeholder Sky fills; offset is in characters from the start.
    case unknownPlaceholder(String, offset: Int)
    /// A custom template without a user turn.
    case missingUser
    /// The template uses `{starter_code}` but the problem has none.
    case noStarterCode(problemId: String)

    /// A message naming what was wrong and where.
    public var description: String {
        switch self {
        case .unknownName(let name): "unknown prompt template '\(name)' (expected sky-t1, plain, or custom with system/user)"
        case .unknownPlaceholder(let name, let offset):
            "unknown placeholder {\(name)} at character \(offset) (known: {problem}, {starter_code}; write {{ and }} for literal braces)"
        case .missingUser: "custom prompt template needs a \"user\" text"
        case .noStarterCode(let id): "template uses {starter_code} but problem '\(id)' has no starter code"
        }
    }
}
