/// The state of one expansion: the document's fields read so far, the drafted jobs, and every problem found.
struct ExperimentExpansion {
    var fields = ExperimentFields()
    var drafts: [DraftJob] = []
    /// Benchmarks given as `{synthetic: {...}}`, whose `builtin` fields are reported under `synthetic`.
    var shorthandBenchmarks = Set<Int>()

    mutating func run(_ document: JSONValue, quick: Bool) -> ExperimentPlan? {
        guard let top = fields.object(document, at: "", required: true, allowed: ExperimentExpander.topLevelFields) else { return nil }
        let experiment = fields.string(top["experiment"], at: "/experiment", required: true)
        let dataset = fields.object(top["dataset"], at: "/dataset", required: true, allowed: ["path", "artifact", "fromJob", "synthetic"])
        let perturb = fields.object(top["perturb"], at: "/perturb",
                                    forbidden: ["dataset": "set by the experiment's dataset", "perturbations": "set per variant"]) ?? [:]
        let train = fields.object(top["train"], at: "/train",
                                  forbidden: ["baseModel": "set by the experiment's baseModel", "dataset": "set by the experiment's dataset"]) ?? [:]
        let sampling = fields.object(top["sampling"], at: "/sampling")
        let eval = fields.object(top["eval"], at: "/eval", forbidden: [
            "model": "set by the experiment", "adapter": "set by the experiment", "benchmarks": "give them at the top level",
            "variant": "each eval is labelled with its variant's name",
        ]) ?? [:]
        let queue = fields.string(top["queue"], at: "/queue", maxLength: 64)
        let priority = fields.integer(top["priority"], at: "/priority", in: -1000...1000)
        let maxAttempts = fields.integer(top["maxAttempts"], at: "/maxAttempts", in: 1...100)
        let variants = readVariants(top["variants"])
        let selected = selection(top["quick"], variants: variants, quick: quick)
        let benchmarks = readBenchmarks(top["benchmarks"])
        let seeds = readSeeds(top["seeds"])
        guard let experiment, let dataset, fields.issues.isEmpty else { return nil }

        // The base model every variant starts from: a file or artifact, or the pretraining job's output.
        let baseModel: JSONValue
        let baseOrigins: [FieldOrigin]
        if let initial = draftPretraining(top["baseModel"], dataset: dataset) {
            baseModel = initial
            baseOrigins = []
        } else if let given = fields.object(top["baseModel"], at: "/baseModel", required: true, allowed: ["path", "artifact", "fromJob"]) {
            baseModel = .object(given)
            baseOrigins = [FieldOrigin(specPrefix: "/baseModel", documentPrefix: "/baseModel"),
                           FieldOrigin(specPrefix: "/model", documentPrefix: "/baseModel")]
        } else {
            return nil
        }
        guard fields.issues.isEmpty else { return nil }
        let evalShared = JSONValue.object(eval).merging(sampling.map { .object(["sampling": .object($0)]) } ?? .object([:]))
        let evalOrigins = [FieldOrigin(specPrefix: "/sampling", documentPrefix: "/sampling", value: sampling.map { .object($0) }),
                           FieldOrigin(specPrefix: "", documentPrefix: "/eval", value: .object(eval))]

        if selected.contains(ExperimentExpander.baseVariant) {
            for (index, benchmark) in benchmarks.enumerated() {
                draftEval(variant: ExperimentExpander.baseVariant, model: baseModel, adapter: nil, benchmark: benchmark, index: index,
                          shared: evalShared, origins: baseOrigins + evalOrigins, several: benchmarks.count > 1)
            }
        }
        let chosen = variants.filter { selected.contains($0.name) }
        var perturbIndex: [String: Int] = [:]
        for variant in chosen {
            var spec = JSONValue.object(perturb).merging(variant.perturb)
            spec = spec.merging(.object(["dataset": .object(dataset), "perturbations": variant.perturbations]))
            perturbIndex[variant.name] = add(DraftJob(
                stage: "perturb", variant: variant.name, name: "perturb \(variant.name)", kind: .perturb, spec: spec,
                origins: [FieldOrigin(specPrefix: "/dataset", documentPrefix: "/dataset"),
                          FieldOrigin(specPrefix: "/perturbations", documentPrefix: variant.pointer + "/perturbations"),
                          FieldOrigin(specPrefix: "", documentPrefix: variant.pointer + "/perturb", value: variant.perturb),
                          FieldOrigin(specPrefix: "", documentPrefix: "/perturb", value: .object(perturb))],
                fallback: variant.pointer))
        }
        // With `seeds`, each variant is trained (and evaluated) once per seed; the perturbed data is shared.
        var trainIndex: [[String]: (index: Int, full: Bool)] = [:]
        for variant in chosen {
            for seed in seeds {
                var spec = JSONValue.object(train).merging(variant.train)
                if let seed { spec = spec.merging(.object(["seed": .number(Double(seed))])) }
                let full = spec["mode"]?.stringValue == TrainSpec.Mode.full.rawValue
                spec = spec.merging(.object(["baseModel": baseModel, "dataset": .object(["fromJob": .string("$\(perturbIndex[variant.name]!)")])]))
                let index = add(DraftJob(
                    stage: "train", variant: variant.name, seed: seed, name: "train \(variant.name)" + Self.suffix(seed), kind: .train,
                    spec: spec,
                    origins: baseOrigins + [FieldOrigin(specPrefix: "/seed", documentPrefix: "/seeds"),
                                            FieldOrigin(specPrefix: "", documentPrefix: variant.pointer + "/train", value: variant.train),
                                            FieldOrigin(specPrefix: "", documentPrefix: "/train", value: .object(train))],
                    fallback: variant.pointer))
                trainIndex[[variant.name, seed.map(String.init) ?? ""]] = (index, full)
            }
        }
        for variant in chosen {
            for seed in seeds {
                let (index, full) = trainIndex[[variant.name, seed.map(String.init) ?? ""]]!
                let output = JSONValue.object(["fromJob": .string("$\(index)")])
                for (offset, benchmark) in benchmarks.enumerated() {
                    draftEval(variant: variant.name, seed: seed, model: full ? output : baseModel, adapter: full ? nil : output,
                              benchmark: benchmark, index: offset, shared: evalShared, origins: baseOrigins + evalOrigins,
                              several: benchmarks.count > 1)
                }
            }
        }
        draftImports(top["imports"], variants: variants)
        return finish(experiment: experiment, queue: queue, priority: priority, maxAttempts: maxAttempts)
    }

    /// Adds the pretraining job for `baseModel: {init, pretrain}` and returns the reference to its output;
    /// nil when the base model is not initialised from scratch. Unless `init` names its own `tokenizerCorpus`,
    /// the tokenizer also learns from the experiment's `dataset`: otherwise words that only the fine-tuning
    /// data uses (the long demonstrations' "Wait", the thought markers) would be split into bytes.
    private mutating func draftPretraining(_ value: JSONValue?, dataset: [String: JSONValue]?) -> JSONValue? {
        guard var initial = value?["init"] else { return nil }
        if case .object(var fields) = initial, fields["tokenizerCorpus"] == nil, let dataset {
            fields["tokenizerCorpus"] = .object(dataset)
            initial = .object(fields)
        }
        let model = fields.object(value, at: "/baseModel", allowed: ["init", "pretrain"])
        let pretrain = fields.object(model?["pretrain"], at: "/baseModel/pretrain", required: true,
                                     forbidden: ["baseModel": "the pretraining starts from baseModel.init"])
        guard let pretrain else { return nil }
        if pretrain["dataset"] == nil { fields.issues.append(SpecIssue("/baseModel/pretrain/dataset", "required field is missing")) }
        let spec = JSONValue.object(["mode": .string(TrainSpec.Mode.full.rawValue)])
            .merging(.object(pretrain)).merging(.object(["baseModel": .object(["init": initial])]))
        let index = add(DraftJob(
            stage: "pretrain", variant: ExperimentExpander.baseVariant, name: "pretrain base", kind: .train, spec: spec,
            origins: [FieldOrigin(specPrefix: "/baseModel", documentPrefix: "/baseModel"),
                      FieldOrigin(specPrefix: "", documentPrefix: "/baseModel/pretrain")],
            fallback: "/baseModel/pretrain"))
        return .object(["fromJob": .string("$\(index)")])
    }

    private mutating func draftEval(variant: String, seed: UInt64? = nil, model: JSONValue, adapter: JSONValue?, benchmark: JSONValue,
                                    index: Int, shared: JSONValue, origins: [FieldOrigin], several: Bool) {
        var fields: [String: JSONValue] = ["model": model, "benchmarks": .array([benchmark]), "variant": .string(variant)]
        if let adapter { fields["adapter"] = adapter }
        let name = benchmark["name"]?.stringValue ?? "benchmark"
        add(DraftJob(
            stage: "eval", variant: variant, benchmark: name, seed: seed,
            name: "eval \(variant)" + Self.suffix(seed) + (several ? " on \(name)" : ""), kind: .eval,
            spec: shared.merging(.object(fields)),
            origins: (shorthandBenchmarks.contains(index)
                ? [FieldOrigin(specPrefix: "/benchmarks/0/builtin", documentPrefix: "/benchmarks/\(index)/synthetic")] : [])
                + [FieldOrigin(specPrefix: "/benchmarks/0", documentPrefix: "/benchmarks/\(index)")] + origins,
            fallback: "/benchmarks/\(index)"))
    }

    /// " (seed 2)" in the names of a seeded variant's jobs.
    static func suffix(_ seed: UInt64?) -> String { seed.map { " (seed \($0))" } ?? "" }

    @discardableResult
    mutating func add(_ draft: DraftJob) -> Int {
        drafts.append(draft)
        return drafts.count - 1
    }
}
