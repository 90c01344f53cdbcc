/// A job input (dataset, model) named by exactly one of a local path, a stored artifact, another job's output,
/// or (where the field allows it) a synthetic dataset or a model initialised from scratch.
public struct InputReference: Sendable, Hashable, Codable {
    /// A file or directory the worker can read.
    public var path: String?
    /// The id of a stored artifact (an upload or an earlier output).
    public var artifact: String?
    /// The job whose output this is; `JobInputs` makes the job depend on it.
    public var fromJob: Int64?
    /// Datasets only: records the worker generates from SkyData's synthetic task.
    public var synthetic: SyntheticDatasetSource?
    /// Train base models only (JSON `init`): a random model of a preset size with a tokenizer learned from the dataset.
    public var initialize: ModelInitSource?

    /// The extra sources a field accepts beyond path, artifact and fromJob.
    public struct Sources: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        /// Creates a set from its bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// `synthetic` (datasets that perturb and train jobs read).
        public static let synthetic = Sources(rawValue: 1)
        /// `init` (a train job's base model).
        public static let initialize = Sources(rawValue: 2)
    }

    /// Creates a reference; set exactly one field.
    public init(path: String? = nil, artifact: String? = nil, fromJob: Int64? = nil, synthetic: SyntheticDatasetSource? = nil,
                initialize: ModelInitSource? = nil) {
        self.path = path
        self.artifact = artifact
        self.fromJob = fromJob
        self.synthetic = synthetic
        self.initialize = initialize
    }

    private enum CodingKeys: String, CodingKey {
        case path, artifact, fromJob, synthetic
        case initialize = "init"
    }

    /// Problems with the reference, located under `pointer`; `allowing` names the extra sources the field takes.
    public func validate(at pointer: String, allowing: Sources = []) -> [SpecIssue] {
        if synthetic != nil && !allowing.contains(.synthetic) {
            return [SpecIssue(pointer + "/synthetic", "only a dataset that a perturb or train job reads (or a tokenizer corpus) may be synthetic")]
        }
        if initialize != nil && !allowing.contains(.initialize) {
            return [SpecIssue(pointer + "/init", "only a train job's baseModel may be initialised from scratch")]
        }
        let given = [path != nil, artifact != nil, fromJob != nil, synthetic != nil, initialize != nil].filter { $0 }.count
        if given != 1 {
            var names = ["'path'", "'artifact'", "'fromJob'"]
            if allowing.contains(.synthetic) { names.append("'synthetic'") }
            if allowing.contains(.initialize) { names.append("'init'") }
            return [SpecIssue(pointer, "give exactly one of \(names.dropLast().joined(separator: ", ")) or \(names.last!)")]
        }
        if let path, path.isEmpty { return [SpecIssue(pointer + "/path", "must not be empty")] }
        if let artifact, artifact.isEmpty { return [SpecIssue(pointer + "/artifact", "must not be empty")] }
        if let fromJob, fromJob <= 0 { return [SpecIssue(pointer + "/fromJob", "must be a positive job id")] }
        if let synthetic { return synthetic.validate(at: pointer + "/synthetic") }
        if let initialize { return initialize.validate(at: pointer + "/init") }
        return []
    }
}
