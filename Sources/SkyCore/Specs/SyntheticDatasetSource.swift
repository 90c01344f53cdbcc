/// A dataset the worker generates itself: `count` records of SkyData's synthetic long-CoT task, regenerated
/// deterministically from `seed`, so an experiment needs no files on any host.
public struct SyntheticDatasetSource: Sendable, Hashable, Codable {
    /// The generator seed (the same seed as `skyctl data synth --seed`).
    public var seed: UInt64
    /// Records to generate: training problems 0..<count.
    public var count: Int
    /// `long` (Sky-T1 long chain of thought) or `short` (the short-CoT answer of the same problems).
    public var demonstrations: String
    /// Whether long demonstrations carry Sky-T1's system prompt (tiny models are better off without its ~700 bytes).
    public var systemPrompt: Bool

    /// Demonstration styles a spec may name.
    public static let styles: Set<String> = ["long", "short"]
    /// Upper bound on `count`.
    public static let maxCount = 1_000_000

    /// Creates settings; the defaults are those a JSON object without the field gets.
    public init(seed: UInt64 = 0, count: Int = 2000, demonstrations: String = "long", systemPrompt: Bool = false) {
        self.seed = seed
        self.count = count
        self.demonstrations = demonstrations
        self.systemPrompt = systemPrompt
    }

    private enum CodingKeys: String, CodingKey { case seed, count, demonstrations, systemPrompt }

    /// Decodes with the defaults of `init`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        count = try c.decodeIfPresent(Int.self, forKey: .count) ?? 2000
        demonstrations = try c.decodeIfPresent(String.self, forKey: .demonstrations) ?? "long"
        systemPrompt = try c.decodeIfPresent(Bool.self, forKey: .systemPrompt) ?? false
    }

    /// Problems with the settings, located under `pointer`.
    public func validate(at pointer: String) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if seed > PerturbSpec.maxSeed { issues.append(SpecIssue(pointer + "/seed", "must be at most \(PerturbSpec.maxSeed)")) }
        if !(1...Self.maxCount).contains(count) { issues.append(SpecIssue(pointer + "/count", "must be between 1 and \(Self.maxCount)")) }
        if !Self.styles.contains(demonstrations) {
            issues.append(SpecIssue(pointer + "/demonstrations", "unknown style '\(demonstrations)'; expected one of \(Self.styles.sorted())"))
        }
        return issues
    }
}
