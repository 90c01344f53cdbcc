public import SkyCore

/// Errors from queue operations that a client can act on (the HTTP layer maps them to statuses).
public enum JobQueueError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No job has this id.
    case notFound(Int64)
    /// A dependency names a job that does not exist.
    case unknownDependency(index: Int, id: Int64)
    /// The operation is not allowed in the job's current state (e.g. cancelling a finished job).
    case illegalState(id: Int64, state: JobState, operation: String)
    /// The submission was invalid.
    case invalid(SpecValidationError)

    public var description: String {
        switch self {
        case .notFound(let id): "job \(id) does not exist"
        case .unknownDependency(let index, let id): "/dependsOn/\(index): job \(id) does not exist"
        case .illegalState(let id, let state, let operation): "cannot \(operation) job \(id): it is \(state.rawValue)"
        case .invalid(let error): error.description
        }
    }
}
