/// An `import` job: another harness's per-sample outputs stored as a complete eval run, every output graded by Sky
/// and the harness's own verdicts kept beside Sky's.
public struct ImportSpec: JobSpec, Hashable {
    public static let kind = JobKind.importResults
    /// The harness's output file (a path on the worker, an uploaded artifact, or a job's output).
    public var file: InputReference
    /// Its format: a `HarnessFormat` name.
    public var format: String
    /// Which model produced the outputs, as people should read it in tables ("Sky-T1-32B-Preview (released)").
    public var model: String
    /// The benchmark's name, as Sky's own runs of it are named, so both land in the same column.
    public var benchmark: String
    /// The experiment table row; defaults to `model`.
    public var variant: String?
    /// The experiment the run belongs to; defaults to the job's.
    public var experiment: String?
    /// The file's name as the user knew it, for the provenance record (skyctl fills it in).
    public var fileName: String?
    /// lm-eval: the metric field holding each sample's verdict (default: exact_match, math_verify or acc).
    public var metric: String?
    /// skythought: the field holding the gold answer (default: answer, final_answer, expected_answer or gt).
    public var goldField: String?

    /// Creates a spec.
    public init(file: InputReference, format: String, model: String, benchmark: String, variant: String? = nil,
                experiment: String? = nil, fileName: String? = nil, metric: String? = nil, goldField: String? = nil) {
        self.file = file
        self.format = format
        self.model = model
        self.benchmark = benchmark
        self.variant = variant
        self.experiment = experiment
        self.fileName = fileName
        self.metric = metric
        self.goldField = goldField
    }

    public func validate() -> [SpecIssue] {
        var issues = file.validate(at: "/file")
        if HarnessFormat(rawValue: format) == nil {
            issues.append(SpecIssue("/format", "unknown format '\(format)'; known formats: \(HarnessFormat.names)"))
        }
        for (pointer, value) in [("/model", model), ("/benchmark", benchmark)] where value.allSatisfy(\.isWhitespace) {
            issues.append(SpecIssue(pointer, "must not be empty"))
        }
        for (pointer, value) in [("/variant", variant), ("/experiment", experiment), ("/metric", metric), ("/goldField", goldField)] {
            if let value, value.isEmpty { issues.append(SpecIssue(pointer, "must not be empty when given")) }
        }
        return issues
    }
}
