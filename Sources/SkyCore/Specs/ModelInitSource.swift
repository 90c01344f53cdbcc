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

    /// Presets a spec may name; SkyModel's `ModelPreset.all` (a test keeps the two lists equal).
    public static let presets: [String] = ["tiny", "small", "25m", "qwen2.5-0.5b"]
    /// Architectures a spec may name.
    public static let modelTypes: Set<String> = ["qwen2", "llama"]
    /// The vocabulary range: at least the bytes and special tokens.
    public static let vocabSizes = 259...262_144

    /// Creates settings; the defaults are those a JSON object without the field gets.
    public init(preset: String = "tiny", seed: UInt64 = 0, vocabSize: Int = 1024, modelType: String = "qwen2") {
        self.preset = preset
        self.seed = seed
        self.vocabSize = vocabSize
        self.modelType = modelType
    }

    private enum CodingKeys: String, CodingKey { case preset, seed, vocabSize, modelType }

    /// Decodes with the defaults of `init`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        preset = try c.decodeIfPresent(String.self, forKey: .preset) ?? "tiny"
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 1024
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "qwen2"
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
        if !Self.modelTypes.contains(modelType) {
            issues.append(SpecIssue(pointer + "/modelType", "unknown model type '\(modelType)'; expected one of \(Self.modelTypes.sorted())"))
        }
        return issues
    }
}
