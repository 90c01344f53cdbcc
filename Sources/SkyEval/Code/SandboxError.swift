/// Why the sandbox could not run a program at all (as opposed to the program failing its test).
public enum SandboxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No python3 interpreter was found at the given path or on PATH.
    case pythonNotFound(String)
    /// Creating the private directory, writing files or spawning failed: what and the errno text.
    case setupFailed(String)

    /// A message naming what was missing or what failed.
    public var description: String {
        switch self {
        case .pythonNotFound(let searched): "python3 not found (looked at \(searched)); code grading needs a python3 interpreter"
        case .setupFailed(let what): "sandbox setup failed: \(what)"
        }
    }
}
