import SkyCore
import SkyStore
import SkyWorker

/// The row an eval result fills in its experiment's table, when the spec does not name it: the training data's
/// lineage, read from the jobs that made the adapter or model (train job → its dataset's perturb job).
enum VariantLabel {
    /// `spec.variant`, or "base" for an untuned model, or the perturbations that made the training data
    /// ("shuffle 67%", "correct" for unperturbed data), or the training job when the lineage ends elsewhere.
    static func resolve(_ spec: EvalSpec, context: JobContext) async throws -> String {
        if let variant = spec.variant { return variant }
        guard let trainJob = spec.adapter?.fromJob ?? spec.model.fromJob else {
            return spec.adapter.map { "adapter \(name(of: $0))" } ?? "base"
        }
        let train = try await context.job(trainJob)
        guard train.kind == .train, let dataset = train.spec["dataset"], let perturbJob = dataset["fromJob"]?.numberValue else {
            return train.kind == .train ? "correct" : "job \(trainJob)"
        }
        let perturb = try await context.job(Int64(perturbJob))
        guard perturb.kind == .perturb, case .array(let perturbations)? = perturb.spec["perturbations"] else {
            return "job \(trainJob)"
        }
        return label(perturbations)
    }

    /// The training seed of the model or adapter `spec` evaluates: its train job's `seed`; nil when no train job made it.
    static func trainSeed(_ spec: EvalSpec, context: JobContext) async throws -> UInt64? {
        guard let trainJob = spec.adapter?.fromJob ?? spec.model.fromJob else { return nil }
        let train = try await context.job(trainJob)
        guard train.kind == .train else { return nil }
        return train.spec["seed"]?.numberValue.map { UInt64($0) } ?? 0
    }

    /// "shuffle 67%", "corrupt_digits 100% + shuffle 33%", or "correct" when nothing was perturbed.
    static func label(_ perturbations: [JSONValue]) -> String {
        let parts = perturbations.compactMap { perturbation -> String? in
            guard let type = perturbation["type"]?.stringValue else { return nil }
            let ratio = perturbation["ratio"]?.numberValue ?? 1
            return "\(type) \(Int((ratio * 100).rounded()))%"
        }
        return parts.isEmpty ? "correct" : parts.joined(separator: " + ")
    }

    /// How results name a model or adapter: its path, `artifact:N` or `job:N`.
    static func name(of reference: InputReference) -> String {
        reference.path ?? reference.artifact.map { "artifact:\($0)" } ?? "job:\(reference.fromJob ?? 0)"
    }
}
