extension ExperimentExpansion {
    /// Validates every drafted spec as its kind, rejects fields no spec knows, and computes the keys.
    mutating func finish(experiment: String, queue: String?, priority: Int?, maxAttempts: Int?) -> ExperimentPlan? {
        var jobs: [PlannedJob] = []
        for (index, draft) in drafts.enumerated() {
            let references = JobInputs.batchReferences(in: draft.spec).map(\.index)
            var dependencies: [Int] = []
            for reference in references where !dependencies.contains(reference) { dependencies.append(reference) }
            let placeholder = { (index: Int) in ExperimentExpander.placeholderBase + Int64(index) }
            let resolved = JobInputs.resolvingBatchReferences(in: draft.spec) { placeholder($0) }
            let normalised: JSONValue
            do {
                normalised = try JobSpecs.validate(kind: draft.kind, spec: resolved)
            } catch {
                fields.issues += error.issues.map { locate($0, in: draft) }
                continue
            }
            for pointer in resolved.pointersMissing(from: normalised) {
                fields.issues.append(locate(SpecIssue(pointer, "unknown field"), in: draft))
            }
            guard dependencies.allSatisfy({ $0 < jobs.count && $0 < index }) else { continue }
            let key = ExperimentJobKey.key(experiment: experiment, kind: draft.kind, spec: normalised,
                                           dependencyKeys: dependencies.map { jobs[$0].key }, placeholder: { placeholder(dependencies[$0]) })
            let spec = ExperimentJobKey.replacing(normalised) { id in
                let plan = Int(id - ExperimentExpander.placeholderBase)
                return dependencies.contains(plan) ? .string("$\(plan)") : nil
            }
            var tags = ["stage:\(draft.stage)", "variant:\(draft.variant)"]
            if let benchmark = draft.benchmark { tags.append("benchmark:\(benchmark)") }
            if let seed = draft.seed { tags.append("seed:\(seed)") }
            jobs.append(PlannedJob(stage: draft.stage, variant: draft.variant, benchmark: draft.benchmark, name: draft.name,
                                   kind: draft.kind, spec: spec, dependsOnIndex: dependencies, key: key, tags: tags, queue: queue,
                                   priority: priority, maxAttempts: maxAttempts))
        }
        guard fields.issues.isEmpty else { return nil }
        return ExperimentPlan(experiment: experiment, jobs: jobs)
    }

    /// A spec problem re-located at the place in the document the offending field came from.
    private func locate(_ issue: SpecIssue, in draft: DraftJob) -> SpecIssue {
        for origin in draft.origins {
            let prefix = origin.specPrefix
            guard issue.pointer == prefix || issue.pointer.hasPrefix(prefix + "/") || prefix.isEmpty else { continue }
            let rest = String(issue.pointer.dropFirst(prefix.count))
            if let value = origin.value, value.value(at: rest) == nil { continue }
            return SpecIssue(origin.documentPrefix + rest, issue.message)
        }
        return SpecIssue(draft.fallback, "\(draft.name) (\(draft.kind.rawValue) spec at \(issue.pointer.isEmpty ? "/" : issue.pointer)): \(issue.message)")
    }
}
