/// What is wrong with a path given as a model directory, naming the path.
public enum ModelDirectoryError: Error, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(path: String)
    /// The path exists but is no Hugging Face model directory (no config.json).
    case notAModelDirectory(path: String)
    /// A file inside the directory could not be used; `problem` is the underlying error's text.
    case invalidFile(path: String, problem: String)

    public var description: String {
        switch self {
        case let .notFound(path): "\(path): no such model directory"
        case let .notAModelDirectory(path): "\(path): not a model directory (no config.json inside)"
        case let .invalidFile(path, problem): "\(path): \(problem)"
        }
    }
}
