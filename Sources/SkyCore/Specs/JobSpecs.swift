public import Foundation

/// The one place that knows which spec type belongs to which job kind.
public enum JobSpecs {
    /// Validates `spec` for `kind` and returns it normalised (typed fields decoded and re-encoded, defaults filled).
    public static func validate(kind: JobKind, spec: Data) throws(SpecValidationError) -> JSONValue {
        switch kind {
        case .sleep: return try normalised(SleepSpec.decodeValidated(from: spec))
        case .perturb: return try normalised(PerturbSpec.decodeValidated(from: spec))
        case .train: return try normalised(TrainSpec.decodeValidated(from: spec))
        case .eval: return try normalised(EvalSpec.decodeValidated(from: spec))
        case .rescore: return try normalised(RescoreSpec.decodeValidated(from: spec))
        case .importResults: return try normalised(ImportSpec.decodeValidated(from: spec))
        }
    }

    /// Validates a spec given as a `JSONValue`.
    public static func validate(kind: JobKind, spec: JSONValue) throws(SpecValidationError) -> JSONValue {
        try validate(kind: kind, spec: spec.encoded())
    }

    static func normalised(_ spec: some JobSpec) throws(SpecValidationError) -> JSONValue {
        do {
            return try JSONValue.parse(JSONEncoder().encode(spec))
        } catch {
            throw SpecValidationError(kind: type(of: spec).kind.rawValue, issues: [SpecIssue("", "\(error)")])
        }
    }
}
