public import SkyCore

/// A run's score from its verdicts alone (problems × n), computed as `EvalSummary` computes it, for runs whose
/// samples Sky did not generate (imports) and for runs graded again.
public struct RunScore: Sendable, Equatable {
    /// Mean accuracy over every sample.
    public var accuracy: Double
    /// Its standard error over problems.
    public var standardError: Double
    /// pass@k for every k from 1 to n.
    public var passAtK: [Int: Double]
    /// Accuracy per level ("none" for problems without one).
    public var byLevel: [String: Estimate]

    /// The score of `correct` (one row of n verdicts per problem), whose levels are `levels`.
    public init(correct: [[Bool]], levels: [String?]) {
        let estimate = EvalMetrics.accuracy(correct)
        accuracy = estimate.value
        standardError = estimate.standardError
        let n = correct.first?.count ?? 0
        passAtK = n == 0 ? [:] : Dictionary(uniqueKeysWithValues: EvalMetrics.ks(n: n).map { ($0, EvalMetrics.passAtK(correct, k: $0)) })
        byLevel = EvalMetrics.byLevel(levels: levels, correct: correct)
    }

    /// `summary` (an `EvalSummary` or import summary as JSON) with this score's fields replaced, the rest kept.
    public func patching(_ summary: JSONValue) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        if case .object(let existing) = summary { fields = existing }
        fields["accuracy"] = .number(accuracy)
        fields["standard_error"] = .number(standardError)
        fields["pass_at_k"] = .object(Dictionary(uniqueKeysWithValues: passAtK.map { (String($0.key), .number($0.value)) }))
        fields["by_level"] = .object(byLevel.mapValues { estimate in
            .object(["value": .number(estimate.value), "standard_error": .number(estimate.standardError), "count": .number(Double(estimate.count))])
        })
        return .object(fields)
    }
}
