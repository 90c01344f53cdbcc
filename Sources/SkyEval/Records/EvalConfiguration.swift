import Foundation
public import SkyCore

/// Everything that decides an eval's numbers besides the benchmark, so two results can be compared or deduplicated
/// by `configHash`.
public struct EvalConfiguration: Sendable, Equatable, Codable {
    /// SHA-256 of the model's weights.
    public var modelSHA256: String
    /// SHA-256 of the LoRA adapter's weights; nil for the base model.
    public var adapterSHA256: String?
    /// The prompt template.
    public var template: PromptTemplate
    /// Sampling temperature; 0 is greedy.
    public var temperature: Double
    /// Nucleus sampling mass.
    public var topP: Double
    /// Top-k cut-off; 0 or nil for none.
    public var topK: Int?
    /// Most tokens generated per sample.
    public var maxNewTokens: Int
    /// Sampling seed.
    public var seed: UInt64
    /// Samples per problem.
    public var n: Int
    /// Compute dtype ("float32", "bfloat16", …).
    public var dtype: String
    /// Backend ("blas", "cuda", …).
    public var backend: String
    /// CPU threads.
    public var threads: Int
    /// The math library and the kernel family it chose ("OpenBLAS 0.3.21 Zen"): with `threads`, what decides the
    /// last bits of every product, so results reproduce to the digit only where both are the same.
    public var kernels: String
    /// Sky's version (`SkyVersion.current` by default).
    public var skyVersion: String
    /// The math grader that decided the verdicts (`GraderVersion.current` by default).
    public var grader: String

    enum CodingKeys: String, CodingKey {
        case modelSHA256 = "model_sha256", adapterSHA256 = "adapter_sha256", template, temperature, topP = "top_p",
             topK = "top_k", maxNewTokens = "max_new_tokens", seed, n, dtype, backend, threads, kernels, skyVersion = "sky_version",
             grader
    }

    /// A configuration from its parts.
    public init(modelSHA256: String, adapterSHA256: String? = nil, template: PromptTemplate, temperature: Double, topP: Double = 1,
                topK: Int? = nil, maxNewTokens: Int, seed: UInt64, n: Int, dtype: String, backend: String, threads: Int,
                kernels: String, skyVersion: String = SkyVersion.current, grader: String = GraderVersion.current) {
        self.modelSHA256 = modelSHA256
        self.adapterSHA256 = adapterSHA256
        self.template = template
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.maxNewTokens = maxNewTokens
        self.seed = seed
        self.n = n
        self.dtype = dtype
        self.backend = backend
        self.threads = threads
        self.kernels = kernels
        self.skyVersion = skyVersion
        self.grader = grader
    }

    /// Decodes a stored configuration; those stored before kernels or the grader were recorded read "unrecorded".
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        modelSHA256 = try container.decode(String.self, forKey: .modelSHA256)
        adapterSHA256 = try container.decodeIfPresent(String.self, forKey: .adapterSHA256)
        template = try container.decode(PromptTemplate.self, forKey: .template)
        temperature = try container.decode(Double.self, forKey: .temperature)
        topP = try container.decode(Double.self, forKey: .topP)
        topK = try container.decodeIfPresent(Int.self, forKey: .topK)
        maxNewTokens = try container.decode(Int.self, forKey: .maxNewTokens)
        seed = try container.decode(UInt64.self, forKey: .seed)
        n = try container.decode(Int.self, forKey: .n)
        dtype = try container.decode(String.self, forKey: .dtype)
        backend = try container.decode(String.self, forKey: .backend)
        threads = try container.decode(Int.self, forKey: .threads)
        kernels = try container.decodeIfPresent(String.self, forKey: .kernels) ?? "unrecorded"
        skyVersion = try container.decode(String.self, forKey: .skyVersion)
        grader = try container.decodeIfPresent(String.self, forKey: .grader) ?? "unrecorded"
    }

    /// Encodes every field, absent optionals as explicit nulls, so the canonical form never depends on presence.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(modelSHA256, forKey: .modelSHA256)
        try container.encode(adapterSHA256 as String?, forKey: .adapterSHA256)
        try container.encode(template, forKey: .template)
        try container.encode(temperature, forKey: .temperature)
        try container.encode(topP, forKey: .topP)
        try container.encode(topK as Int?, forKey: .topK)
        try container.encode(maxNewTokens, forKey: .maxNewTokens)
        try container.encode(seed, forKey: .seed)
        try container.encode(n, forKey: .n)
        try container.encode(dtype, forKey: .dtype)
        try container.encode(backend, forKey: .backend)
        try container.encode(threads, forKey: .threads)
        try container.encode(kernels, forKey: .kernels)
        try container.encode(skyVersion, forKey: .skyVersion)
        try container.encode(grader, forKey: .grader)
    }

    /// Compact JSON with sorted keys, so equal configurations give equal bytes.
    public func canonicalJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number or a PromptTemplateSpec of strings: encoding cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Lowercase hex SHA-256 of `canonicalJSON()`.
    public var configHash: String { SHA256Hasher.hex(Array(canonicalJSON().utf8)) }
}
