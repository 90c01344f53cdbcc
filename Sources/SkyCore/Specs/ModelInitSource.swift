/// A base model made from nothing on the worker: a byte-level BPE tokenizer learned from the train job's own
/// dataset, then a randomly initialised model of a named size (what `skyctl model init` makes), trained in full.
public struct ModelInitSource: Sendable, Hashable, Codable {
    /// The size preset (`skyctl model init --preset`).
    public var preset: String
    /// Seeds the random weights.
    public var seed: UInt64
    /// Vocabulary to learn, counting the 256 byte tokens and ChatML's 3 special tokens; fewer when the text runs out of pairs.
    public var vocabSize: Int
    /// The architecture written to config.json: `qwen2` or `llama`.
    public var modelType: String
    /// More text the tokenizer learns from besides the job's dataset: the data the model will be fine-tuned on
    /// later, so that its words are tokens rather than bytes. Any dataset reference but `init`.
    public var tokenizerCorpus: InputReference? {
        get { corpusBox.first }
        set { corpusBox = newValue.map { [$0] } ?? [] }
    }
    // An InputReference holds a ModelInitSource, so holding one back directly would make the struct infinitely
    // large; an array stores it out of line.
    private var corpusBox: [InputReference] = []

    /// Presets a spec may name; SkyModel's `ModelPreset.all` (a test keeps the two lists equal).
    public static let presets: [String] = ["tiny", "small", "25m", "qwen2.5-0.5b"]
    /// Architectures a spec may name.
    public static let modelTypes: Set<String> = ["qwen2", "llama"]
    /// The vocabulary range: at least the bytes and special tokens.
    public static let vocabSizes = 259...262_144

    /// Creates settings; the defaults are those a JSON object without the field gets.
    public init(preset: String = "tiny", seed: UInt64 = 0, vocabSize: Int = 1024, modelType: String = "qwen2",
                tokenizerCorpus: InputReference? = nil) {
        self.preset = preset
        self.seed = seed
        self.vocabSize = vocabSize
        self.modelType = modelType
        self.tokenizerCorpus = tokenizerCorpus
    }

    /// Encodes every field; `tokenizerCorpus` only when set.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(preset, forKey: .preset)
        try c.encode(seed, forKey: .seed)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(modelType, forKey: .modelType)
        try c.encodeIfPresent(tokenizerCorpus, forKey: .tokenizerCorpus)
    }

    private enum CodingKeys: String, CodingKey { case preset, seed, vocabSize, modelType, tokenizerCorpus }

    /// Decodes with the defaults of `init`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decodeIfPresent(String.self, forKey: .preset) ?? "tiny"
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 1024
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "qwen2"
        tokenizerCorpus = try c.decodeIfPresent(InputReference.self, forKey: .tokenizerCorpus)
    }

    /// Problems with the settings, located under `pointer`.
    public func validate(at pointer: String) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if !Self.presets.contains(preset) {
            issues.append(SpecIssue(pointer + "/preset", "unknown preset '\(preset)'; expected one of \(Self.presets)"))
        }
        if seed > PerturbSpec.maxSeed { issues.append(SpecIssue(pointer + "/seed", "must be at most \(PerturbSpec.maxSeed)")) }
        if !Self.vocabSizes.contains(vocabSize) {
            issues.append(SpecIssue(pointer + "/vocabSize", "must be between \(Self.vocabSizes.lowerBound) and \(Self.vocabSizes.upperBound)"))
        }
        if let tokenizerCorpus {
            if tokenizerCorpus.initialize != nil {
                issues.append(SpecIssue(pointer + "/tokenizerCorpus/init", "a tokenizer corpus is a dataset, not a model"))
            } else {
                issues += tokenizerCorpus.validate(at: pointer + "/tokenizerCorpus", allowing: [.synthetic])
            }
        }
        if !Self.modelTypes.contains(modelType) {
            issues.append(SpecIssue(pointer + "/modelType", "unknown model type '\(modelType)'; expected one of \(Self.modelTypes.sorted())"))
        }
        return issues
    }
}
