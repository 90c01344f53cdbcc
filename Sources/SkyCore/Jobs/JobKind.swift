/// The kinds of work Sky runs; each has a typed spec and an executor in SkyJobs.
public enum JobKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// Transform a dataset with perturbations into a new dataset.
    case perturb
    /// Fine-tune a model (LoRA or full) on a dataset.
    case train
    /// Evaluate a model (plus adapter) on a benchmark.
    case eval
    /// A diagnostic job that waits, optionally fails, and returns an optional output.
    case sleep
    /// Grade stored eval samples again with this worker's grader, keeping the earlier verdicts.
    case rescore
    /// Load another harness's per-sample outputs as an eval run, graded by Sky beside the harness's own verdicts.
    case importResults = "import"
}
