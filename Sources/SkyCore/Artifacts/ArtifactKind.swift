/// What an artifact is, which decides where it may be used (a dataset as training input, an adapter for eval…).
public enum ArtifactKind: String, Sendable, Codable, CaseIterable, Hashable {
    case dataset, benchmark, model, adapter, checkpoint
    case evalResults = "eval_results"
    case other
}
