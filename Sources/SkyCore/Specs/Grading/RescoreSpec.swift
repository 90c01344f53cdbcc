/// A `rescore` job: grade the stored samples of some eval runs again with the worker's grader, without generating.
///
/// The earlier verdicts stay in `eval_verdicts` under the grader that gave them; a dry run only reports what would change.
public struct RescoreSpec: JobSpec, Hashable {
    public static let kind = JobKind.rescore
    /// Most runs one job rescores, so a typo in an experiment name cannot start a day of grading unnoticed.
    public static let maxRuns = 10_000

    /// The eval runs to rescore (ids from `skyctl show JOB` or the leaderboard views).
    public var runs: [Int64]
    /// Or: every complete run of this experiment.
    public var experiment: String?
    /// Report how many verdicts would change and write nothing.
    public var dryRun: Bool

    /// Creates a spec; give `runs` or `experiment`.
    public init(runs: [Int64] = [], experiment: String? = nil, dryRun: Bool = false) {
        self.runs = runs
        self.experiment = experiment
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey { case runs, experiment, dryRun }

    /// Decodes with defaults for the optional fields.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        runs = try c.decodeIfPresent([Int64].self, forKey: .runs) ?? []
        experiment = try c.decodeIfPresent(String.self, forKey: .experiment)
        dryRun = try c.decodeIfPresent(Bool.self, forKey: .dryRun) ?? false
    }

    public func validate() -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if runs.isEmpty == (experiment == nil) {
            issues.append(SpecIssue("", "give either 'runs' (eval run ids) or 'experiment', not both"))
        }
        if let experiment, experiment.isEmpty { issues.append(SpecIssue("/experiment", "must not be empty")) }
        if runs.count > Self.maxRuns { issues.append(SpecIssue("/runs", "at most \(Self.maxRuns) runs per job")) }
        for (index, run) in runs.enumerated() where run <= 0 {
            issues.append(SpecIssue("/runs/\(index)", "must be a positive eval run id"))
        }
        if Set(runs).count != runs.count { issues.append(SpecIssue("/runs", "names a run more than once")) }
        return issues
    }
}
