/// Every sample of one problem, reported as soon as the last of them finishes.
public struct SampledProblem: Sendable, Equatable {
    /// The problem's key.
    public var key: String
    /// Tokens in the prompt.
    public var promptTokens: Int
    /// The samples, by index.
    public var samples: [GeneratedSample]

    /// A problem's samples.
    public init(key: String, promptTokens: Int, samples: [GeneratedSample]) {
        self.key = key
        self.promptTokens = promptTokens
        self.samples = samples
    }
}
