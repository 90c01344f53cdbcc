/// A job input (dataset, model) named by exactly one of a local path, a stored artifact, or another job's output.
public struct InputReference: Sendable, Hashable, Codable {
    /// A file or directory the worker can read.
    public var path: String?
    /// The id of a stored artifact (an upload or an earlier output).
    public var artifact: String?
    /// The job whose output this is; `JobInputs` makes the job depend on it.
    public var fromJob: Int64?

    /// Creates a reference; set exactly one field.
    public init(path: String? = nil, artifact: String? = nil, fromJob: Int64? = nil) {
        self.path = path
        self.artifact = artifact
        self.fromJob = fromJob
    }

    /// Problems with the reference, located under `pointer`.
    public func validate(at pointer: String) -> [SpecIssue] {
        let given = [path != nil, artifact != nil, fromJob != nil].filter { $0 }.count
        if given != 1 {
            return [SpecIssue(pointer, "give exactly one of 'path', 'artifact' or 'fromJob'")]
        }
        if let path, path.isEmpty { return [SpecIssue(pointer + "/path", "must not be empty")] }
        if let artifact, artifact.isEmpty { return [SpecIssue(pointer + "/artifact", "must not be empty")] }
        if let fromJob, fromJob <= 0 { return [SpecIssue(pointer + "/fromJob", "must be a positive job id")] }
        return []
    }
}
