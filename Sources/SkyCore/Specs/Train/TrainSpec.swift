/// The `train` job: fine-tune a base model on a dataset with LoRA or full fine-tuning.
///
/// Field names are Hugging Face's `TrainingArguments` and PEFT's `LoraConfig` in camelCase. Defaults are the
/// Sky-T1 recipe where the paper gives one (cosine schedule, warmup ratio 0.1, 3 epochs, LoRA r 64 / alpha 128
/// on every linear layer, lr 1e-4 for LoRA and 1e-5 for full, loss on assistant tokens only).
public struct TrainSpec: JobSpec, Hashable {
    public static let kind = JobKind.train

    /// The model to start from: a Hugging Face directory (path), a model artifact / job output, or `init` (from scratch).
    public var baseModel: InputReference
    /// The training records (a file, artifact, job output, or `synthetic`).
    public var dataset: InputReference
    /// Format of the records (`auto` detects per record); one of `PerturbSpec.inputFormats`.
    public var datasetFormat: String
    /// `lora` (adapters over frozen weights, the default) or `full` (every weight).
    public var mode: Mode
    /// Adapter settings; used when `mode` is `lora`.
    public var lora: LoRASettings
    /// Optimizer, schedule and batching.
    public var optimization: Optimization
    /// Tokens per sample, the truncation policy, packing and what carries loss.
    public var sequences: Sequences
    /// Seeds LoRA initialisation, dropout, shuffling and the held-out split.
    public var seed: UInt64
    /// Compute backend (`ComputeBackend.specNames`: blas, cuda, auto); `cpu` is read as `blas`.
    public var backend: String
    /// BLAS threads; nil lets the backend use every core.
    public var threads: Int?
    /// Write a resumable checkpoint every this many optimizer steps (0: only when stopped early).
    public var checkpointEvery: Int
    /// Compute the held-out loss every this many optimizer steps (0: only at the end, when there is a split).
    public var evalEvery: Int
    /// Fraction of the records held out for the eval loss (0: no split).
    public var evalFraction: Double

    /// What a run trains.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case lora, full
    }

    /// Upper bound on `threads`.
    public static let maxThreads = 1024
    /// Upper bound on `evalFraction`: holding out more than half leaves too little to train on.
    public static let maxEvalFraction = 0.5

    /// Creates a spec; defaults are those a submitted JSON without the field gets.
    public init(baseModel: InputReference, dataset: InputReference, datasetFormat: String = "auto", mode: Mode = .lora,
                lora: LoRASettings = LoRASettings(), optimization: Optimization? = nil, sequences: Sequences = Sequences(),
                seed: UInt64 = 0, backend: String = "blas", threads: Int? = nil, checkpointEvery: Int = 100,
                evalEvery: Int = 0, evalFraction: Double = 0) {
        self.baseModel = baseModel
        self.dataset = dataset
        self.datasetFormat = datasetFormat
        self.mode = mode
        self.lora = lora
        self.optimization = optimization ?? Optimization(mode: mode)
        self.sequences = sequences
        self.seed = seed
        self.backend = backend
        self.threads = threads
        self.checkpointEvery = checkpointEvery
        self.evalEvery = evalEvery
        self.evalFraction = evalFraction
    }

    private enum CodingKeys: String, CodingKey {
        case baseModel, dataset, datasetFormat, mode, lora, optimization, sequences, seed, backend, threads
        case checkpointEvery, evalEvery, evalFraction
    }

    /// Decodes with defaults for every field but `baseModel` and `dataset`; the default learning rate follows `mode`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseModel = try c.decode(InputReference.self, forKey: .baseModel)
        dataset = try c.decode(InputReference.self, forKey: .dataset)
        datasetFormat = try c.decodeIfPresent(String.self, forKey: .datasetFormat) ?? "auto"
        mode = try c.decodeIfPresent(Mode.self, forKey: .mode) ?? .lora
        lora = try c.decodeIfPresent(LoRASettings.self, forKey: .lora) ?? LoRASettings()
        if c.contains(.optimization) {
            let nested = try c.superDecoder(forKey: .optimization)
            optimization = try Optimization(from: nested, mode: mode)
        } else {
            optimization = Optimization(mode: mode)
        }
        sequences = try c.decodeIfPresent(Sequences.self, forKey: .sequences) ?? Sequences()
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        backend = ComputeBackend.canonical(try c.decodeIfPresent(String.self, forKey: .backend) ?? ComputeBackend.blas.rawValue)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        checkpointEvery = try c.decodeIfPresent(Int.self, forKey: .checkpointEvery) ?? 100
        evalEvery = try c.decodeIfPresent(Int.self, forKey: .evalEvery) ?? 0
        evalFraction = try c.decodeIfPresent(Double.self, forKey: .evalFraction) ?? 0
    }

    public func validate() -> [SpecIssue] {
        var issues = baseModel.validate(at: "/baseModel", allowing: .initialize) + dataset.validate(at: "/dataset", allowing: .synthetic)
        if baseModel.initialize != nil && mode != .full {
            issues.append(SpecIssue("/mode", "a model initialised from scratch has no weights to adapt: train it in full mode"))
        }
        if !PerturbSpec.inputFormats.contains(datasetFormat) {
            issues.append(SpecIssue("/datasetFormat", "unknown format '\(datasetFormat)'; expected one of \(PerturbSpec.inputFormats.sorted())"))
        }
        if mode == .lora { issues += lora.validate(at: "/lora") }
        issues += optimization.validate(at: "/optimization")
        issues += sequences.validate(at: "/sequences")
        if seed > PerturbSpec.maxSeed {
            issues.append(SpecIssue("/seed", "must be at most \(PerturbSpec.maxSeed) so that JSON keeps it exact"))
        }
        if !ComputeBackend.specNames.contains(backend) {
            issues.append(SpecIssue("/backend", "unknown backend '\(backend)'; expected one of \(ComputeBackend.specNames)"))
        }
        if let threads, !(1...Self.maxThreads).contains(threads) {
            issues.append(SpecIssue("/threads", "must be between 1 and \(Self.maxThreads)"))
        }
        if checkpointEvery < 0 { issues.append(SpecIssue("/checkpointEvery", "must not be negative")) }
        if evalEvery < 0 { issues.append(SpecIssue("/evalEvery", "must not be negative")) }
        if !(evalFraction >= 0 && evalFraction <= Self.maxEvalFraction) {
            issues.append(SpecIssue("/evalFraction", "must be between 0 and \(Self.maxEvalFraction)"))
        } else if evalEvery > 0 && evalFraction == 0 {
            issues.append(SpecIssue("/evalFraction", "must be above 0 when evalEvery asks for an eval loss"))
        }
        return issues
    }
}
