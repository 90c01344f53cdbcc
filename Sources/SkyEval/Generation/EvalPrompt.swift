/// One problem's prompt, already tokenised, under a key that stays the same across runs and resumes.
public struct EvalPrompt: Sendable, Equatable {
    /// The problem's stable identity (benchmark name and problem id, say); it seeds the problem's samples.
    public var key: String
    /// Prompt token ids (chat template applied, generation prompt added).
    public var tokens: [Int32]

    /// A prompt for problem `key`.
    public init(key: String, tokens: [Int32]) {
        self.key = key
        self.tokens = tokens
    }
}
