/// The diagnostic `sleep` job: waits, may fail on purpose, may return an output.
///
/// Operators use it to test the pipeline end to end and to benchmark the queue (`skyctl bench queue`).
public struct SleepSpec: JobSpec, Hashable {
    public static let kind = JobKind.sleep
    /// Upper bound on `durationSeconds`, so a typo cannot hold a slot for a week.
    public static let maxDurationSeconds = 86_400.0

    /// How long to wait, in seconds (0 returns at once).
    public var durationSeconds: Double
    /// Probability in [0, 1] that an attempt fails with a retryable error.
    public var failureProbability: Double
    /// When true, a failing attempt fails permanently (no retry).
    public var failPermanently: Bool
    /// Returned as the job's result when it succeeds.
    public var output: JSONValue?

    /// Creates a sleep spec.
    public init(durationSeconds: Double = 0, failureProbability: Double = 0, failPermanently: Bool = false, output: JSONValue? = nil) {
        self.durationSeconds = durationSeconds
        self.failureProbability = failureProbability
        self.failPermanently = failPermanently
        self.output = output
    }

    private enum CodingKeys: String, CodingKey {
        case durationSeconds, failureProbability, failPermanently, output
    }

    /// Decodes with defaults for every optional field.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        durationSeconds = try c.decodeIfPresent(Double.self, forKey: .durationSeconds) ?? 0
        failureProbability = try c.decodeIfPresent(Double.self, forKey: .failureProbability) ?? 0
        failPermanently = try c.decodeIfPresent(Bool.self, forKey: .failPermanently) ?? false
        output = try c.decodeIfPresent(JSONValue.self, forKey: .output)
    }

    public func validate() -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if !(durationSeconds >= 0 && durationSeconds <= Self.maxDurationSeconds) {
            issues.append(SpecIssue("/durationSeconds", "must be between 0 and \(Int(Self.maxDurationSeconds))"))
        }
        if !(failureProbability >= 0 && failureProbability <= 1) {
            issues.append(SpecIssue("/failureProbability", "must be between 0 and 1"))
        }
        return issues
    }
}
