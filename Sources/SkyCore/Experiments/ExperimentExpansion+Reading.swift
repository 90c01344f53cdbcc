extension ExperimentExpansion {
    /// The `variants` list: unique names, each with optional perturbations and per-variant overrides.
    mutating func readVariants(_ value: JSONValue?) -> [ExperimentVariant] {
        var variants: [ExperimentVariant] = []
        var names = Set<String>()
        for (index, item) in (fields.array(value, at: "/variants", required: true) ?? []).enumerated() {
            let pointer = "/variants/\(index)"
            guard let variant = fields.object(item, at: pointer, allowed: ["name", "perturbations", "train", "perturb"]),
                let name = fields.string(variant["name"], at: pointer + "/name", required: true, maxLength: 100) else { continue }
            if name == ExperimentExpander.baseVariant {
                fields.issues.append(SpecIssue(pointer + "/name", "'base' is the untuned model's row; choose another name"))
            } else if !names.insert(name).inserted {
                fields.issues.append(SpecIssue(pointer + "/name", "'\(name)' is named twice"))
            }
            let perturbations = fields.array(variant["perturbations"], at: pointer + "/perturbations") ?? []
            let train = fields.object(variant["train"], at: pointer + "/train",
                                      forbidden: ["baseModel": "set by the experiment's baseModel", "dataset": "set by the perturb job"]) ?? [:]
            let perturb = fields.object(variant["perturb"], at: pointer + "/perturb",
                                        forbidden: ["dataset": "set by the experiment's dataset", "perturbations": "give them in the variant"]) ?? [:]
            variants.append(ExperimentVariant(name: name, pointer: pointer, perturbations: .array(perturbations),
                                              train: .object(train), perturb: .object(perturb)))
        }
        return variants
    }

    /// The variant names to expand: all (and the base), or the `quick` list when `quick` is asked for.
    mutating func selection(_ value: JSONValue?, variants: [ExperimentVariant], quick: Bool) -> Set<String> {
        let all = Set(variants.map(\.name)).union([ExperimentExpander.baseVariant])
        let list = fields.array(value, at: "/quick") ?? []
        var chosen = Set<String>()
        for (index, item) in list.enumerated() {
            guard let name = fields.string(item, at: "/quick/\(index)", maxLength: 100) else { continue }
            if !all.contains(name) {
                fields.issues.append(SpecIssue("/quick/\(index)", "'\(name)' is not a variant (nor 'base')"))
            }
            chosen.insert(name)
        }
        guard quick else { return all }
        if value == nil { fields.issues.append(SpecIssue("/quick", "a quick run needs a 'quick' list of variant names")) }
        return chosen
    }

    /// The `benchmarks` list as EvalSpec benchmark entries. `{synthetic: {seed, perLevel}}` is short for the built-in
    /// synthetic benchmark: the held-out problems, which no synthetic training draw returns.
    mutating func readBenchmarks(_ value: JSONValue?) -> [JSONValue] {
        var entries: [JSONValue] = []
        var names = Set<String>()
        for (index, item) in (fields.array(value, at: "/benchmarks", required: true) ?? []).enumerated() {
            let pointer = "/benchmarks/\(index)"
            guard case .object(var entry) = item else {
                fields.issues.append(SpecIssue(pointer, "expected an object"))
                continue
            }
            if let settings = entry.removeValue(forKey: "synthetic") {
                _ = fields.object(.object(entry), at: pointer, allowed: ["name", "limit"])
                guard case .object(var builtin) = settings else {
                    fields.issues.append(SpecIssue(pointer + "/synthetic", "expected an object"))
                    continue
                }
                shorthandBenchmarks.insert(index)
                builtin["task"] = builtin["task"] ?? .string("synthetic")
                entry["builtin"] = .object(builtin)
                entry["name"] = entry["name"] ?? .string("synthetic")
            }
            if let name = entry["name"]?.stringValue, !names.insert(name).inserted {
                fields.issues.append(SpecIssue(pointer + "/name", "'\(name)' is named twice"))
            }
            entries.append(.object(entry))
        }
        return entries
    }

    /// The `seeds` list: the training seeds every variant is replicated over; `[nil]` (train as the file says) without it.
    mutating func readSeeds(_ value: JSONValue?) -> [UInt64?] {
        guard let list = fields.array(value, at: "/seeds") else { return [nil] }
        if list.isEmpty || list.count > 20 { fields.issues.append(SpecIssue("/seeds", "give 1 to 20 seeds")) }
        var seeds: [UInt64?] = []
        for (index, item) in list.enumerated() {
            guard let seed = fields.integer(item, at: "/seeds/\(index)", in: 0...Int(PerturbSpec.maxSeed)) else { continue }
            if seeds.contains(UInt64(seed)) {
                fields.issues.append(SpecIssue("/seeds/\(index)", "seed \(seed) is listed twice"))
            }
            seeds.append(UInt64(seed))
        }
        return seeds.isEmpty ? [nil] : seeds
    }

    /// The `imports` list: other harnesses' output files, each an `import` job whose run is a row of the table, so a
    /// paper's released outputs sit beside Sky's own runs, graded the same way. Every import is kept in a quick run.
    mutating func draftImports(_ value: JSONValue?, variants: [ExperimentVariant]) {
        var seen = Set<[String]>()
        for (index, item) in (fields.array(value, at: "/imports") ?? []).enumerated() {
            let pointer = "/imports/\(index)"
            guard let entry = fields.object(item, at: pointer, allowed: ["variant", "model", "benchmark", "format", "file", "metric", "goldField"]),
                  let variant = fields.string(entry["variant"], at: pointer + "/variant", required: true, maxLength: 100),
                  let benchmark = fields.string(entry["benchmark"], at: pointer + "/benchmark", required: true) else { continue }
            if variant == ExperimentExpander.baseVariant || variants.contains(where: { $0.name == variant }) {
                fields.issues.append(SpecIssue(pointer + "/variant", "'\(variant)' is already a row Sky trains; name the imported row apart"))
            }
            if !seen.insert([variant, benchmark]).inserted {
                fields.issues.append(SpecIssue(pointer, "'\(variant)' on '\(benchmark)' is imported twice"))
            }
            var spec = entry
            spec["model"] = entry["model"] ?? .string(variant)
            add(DraftJob(stage: "import", variant: variant, benchmark: benchmark, name: "import \(variant) on \(benchmark)",
                         kind: .importResults, spec: .object(spec),
                         origins: [FieldOrigin(specPrefix: "", documentPrefix: pointer)], fallback: pointer))
        }
    }
}
