/// Expands an experiment document (an `experiments/*.yaml` file as JSON) into the jobs of its grid.
///
/// Pure code in SkyCore rather than SkyClient: the server expands documents for `POST /v1/experiments`, so
/// that reusing earlier jobs happens in the same transaction as inserting new ones, and SkyServer may import
/// SkyCore but not the HTTP client. Order: the pretraining (for `baseModel.init`), the untuned base's evals,
/// one perturb job per variant, one train job per variant, one eval job per variant and benchmark, then one import job
/// per entry of `imports` (another harness's outputs as a row of the table).
public enum ExperimentExpander {
    /// Fields the top level of a document may have.
    public static let topLevelFields: Set<String> = [
        "experiment", "description", "baseModel", "dataset", "perturb", "train", "variants", "benchmarks", "sampling", "eval",
        "quick", "queue", "priority", "maxAttempts", "imports", "seeds",
    ]
    /// The name of the untuned model's row.
    public static let baseVariant = "base"
    /// Placeholder ids stand in for plan indexes while specs are validated; far above real job ids in a test.
    static let placeholderBase: Int64 = 1_000_000_000_000

    /// The plan for `document`; `quick` keeps only the variants its `quick` list names. Every problem is
    /// reported with the JSON pointer of the place in the document (the YAML path) where it is.
    public static func plan(_ document: JSONValue, quick: Bool = false) throws(SpecValidationError) -> ExperimentPlan {
        var expansion = ExperimentExpansion()
        let plan = expansion.run(document, quick: quick)
        var seen = Set<SpecIssue>()
        let issues = expansion.fields.issues.filter { seen.insert($0).inserted }
        guard issues.isEmpty, let plan else { throw SpecValidationError(kind: "experiment", issues: issues) }
        return plan
    }
}

/// One variant (table row) as the document gives it.
struct ExperimentVariant {
    var name: String
    var pointer: String
    var perturbations: JSONValue
    var train: JSONValue
    var perturb: JSONValue
}

/// Where a spec field came from in the document, to report a spec problem at the document's path.
struct FieldOrigin {
    /// The spec pointer prefix this origin covers.
    var specPrefix: String
    /// The document pointer that prefix maps to.
    var documentPrefix: String
    /// When set, the origin applies only to pointers this value has (e.g. a field the variant overrides).
    var value: JSONValue?
}

/// A job before validation: its spec names earlier jobs as `{"fromJob": "$N"}`.
struct DraftJob {
    var stage: String
    var variant: String
    var benchmark: String?
    /// The training seed of a seeded variant's train and eval jobs (`seeds:`).
    var seed: UInt64? = nil
    var name: String
    var kind: JobKind
    var spec: JSONValue
    var origins: [FieldOrigin]
    var fallback: String
}
