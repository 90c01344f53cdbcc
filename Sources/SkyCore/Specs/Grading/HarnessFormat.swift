/// The per-sample output files of other evaluation harnesses that Sky can import and grade again.
public enum HarnessFormat: String, Sendable, CaseIterable, Codable {
    /// The Qwen2.5-Math evaluation JSONL, which SkyThought's scripts also write: one problem per line with `idx`,
    /// `question`, `gt`, `code` (the outputs), `pred` (the harness's extracted answers) and `score` (its verdicts).
    case qwenMath = "qwen-math"
    /// `skythought evaluate`'s results JSON: one object keyed by problem id, each with the problem's fields (the gold
    /// under `answer`, or the task's answer key), `responses` ({content, correctness}) and `token_usages`.
    case skythought
    /// lm-evaluation-harness `--log_samples` JSONL: `doc_id`, `doc`, `target`, `resps`, `filtered_resps` and one
    /// field per metric (`exact_match`, …).
    case lmEval = "lm-eval"

    /// Every format's name, for error messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
