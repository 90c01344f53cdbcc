/// The `eval` job: sample answers from a model (optionally with a LoRA adapter, unmerged) on benchmarks,
/// grade them, and store per-sample rows and a summary that the leaderboard views read.
///
/// Defaults are the paper's evaluation: greedy decoding, n = 1, the Sky-T1 prompt. Every field that can change
/// a score is recorded with the result, so two numbers that differ can be traced to what differed.
public struct EvalSpec: JobSpec, Hashable {
    public static let kind = JobKind.eval

    /// The base model: a Hugging Face directory (path), a model artifact, or a full train job's output.
    public var model: InputReference
    /// A PEFT adapter applied on top of `model` without merging: a path, an adapter artifact or a LoRA train job's output.
    public var adapter: InputReference?
    /// The benchmarks to run, each under a unique name.
    public var benchmarks: [BenchmarkSource]
    /// How a problem becomes the conversation the model continues.
    public var prompt: Prompt
    /// Decoding settings and samples per problem.
    public var sampling: Sampling
    /// Seeds every sample: sample i of problem p draws from (seed, p, i), independent of batching and resumption.
    public var seed: UInt64
    /// Sequences decoded together.
    public var batchSize: Int
    /// Compute backend (`ComputeBackend.specNames`: blas, cuda, auto); `cpu` is read as `blas`.
    public var backend: String
    /// BLAS threads; nil lets the backend use every core.
    public var threads: Int?
    /// The row this result belongs to in its experiment's table (e.g. "shuffle 67%"); nil derives it from the lineage.
    public var variant: String?

    /// Upper bound on `batchSize`.
    public static let maxBatchSize = 1024

    /// Creates a spec; defaults are those a submitted JSON without the field gets.
    public init(model: InputReference, adapter: InputReference? = nil, benchmarks: [BenchmarkSource], prompt: Prompt = Prompt(),
                sampling: Sampling = Sampling(), seed: UInt64 = 0, batchSize: Int = 16, backend: String = "blas",
                threads: Int? = nil, variant: String? = nil) {
        self.model = model
        self.adapter = adapter
        self.benchmarks = benchmarks
        self.prompt = prompt
        self.sampling = sampling
        self.seed = seed
        self.batchSize = batchSize
        self.backend = backend
        self.threads = threads
        self.variant = variant
    }

    private enum CodingKeys: String, CodingKey {
        case model, adapter, benchmarks, prompt, sampling, seed, batchSize, backend, threads, variant
    }

    /// Decodes with defaults for every field but `model` and `benchmarks`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        model = try c.decode(InputReference.self, forKey: .model)
        adapter = try c.decodeIfPresent(InputReference.self, forKey: .adapter)
        benchmarks = try c.decode([BenchmarkSource].self, forKey: .benchmarks)
        prompt = try c.decodeIfPresent(Prompt.self, forKey: .prompt) ?? Prompt()
        sampling = try c.decodeIfPresent(Sampling.self, forKey: .sampling) ?? Sampling()
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? 16
        backend = ComputeBackend.canonical(try c.decodeIfPresent(String.self, forKey: .backend) ?? ComputeBackend.blas.rawValue)
        threads = try c.decodeIfPresent(Int.self, forKey: .threads)
        variant = try c.decodeIfPresent(String.self, forKey: .variant)
    }

    public func validate() -> [SpecIssue] {
        var issues = model.validate(at: "/model") + (adapter?.validate(at: "/adapter") ?? [])
        if benchmarks.isEmpty { issues.append(SpecIssue("/benchmarks", "name at least one benchmark")) }
        var names = Set<String>()
        for (index, benchmark) in benchmarks.enumerated() {
            issues += benchmark.validate(at: "/benchmarks/\(index)")
            if !names.insert(benchmark.name).inserted {
                issues.append(SpecIssue("/benchmarks/\(index)/name", "'\(benchmark.name)' is named twice"))
            }
        }
        issues += prompt.validate(at: "/prompt") + sampling.validate(at: "/sampling")
        if seed > PerturbSpec.maxSeed {
            issues.append(SpecIssue("/seed", "must be at most \(PerturbSpec.maxSeed) so that JSON keeps it exact"))
        }
        if !(1...Self.maxBatchSize).contains(batchSize) {
            issues.append(SpecIssue("/batchSize", "must be between 1 and \(Self.maxBatchSize)"))
        }
        if !ComputeBackend.specNames.contains(backend) {
            issues.append(SpecIssue("/backend", "unknown backend '\(backend)'; expected one of \(ComputeBackend.specNames)"))
        }
        if let threads, !(1...TrainSpec.maxThreads).contains(threads) {
            issues.append(SpecIssue("/threads", "must be between 1 and \(TrainSpec.maxThreads)"))
        }
        if let variant, variant.isEmpty || variant.count > 200 {
            issues.append(SpecIssue("/variant", "must be 1 to 200 characters"))
        }
        return issues
    }
}
