/// Counts a sample's tokens with a real tokenizer. SkyData has none (it must not import SkyModel), so
/// `skyctl data stats` passes one in that wraps SkyModel's `Tokenizer`.
public protocol TokenCounter {
    /// Tokens of the whole sample as the trainer reads it, and how many of them are assistant (label) tokens.
    func count(_ record: DatasetRecord) -> SampleTokens
}

/// The token counts of one sample.
public struct SampleTokens: Sendable, Hashable {
    /// Every token of the rendered conversation.
    public var total: Int
    /// Tokens of assistant turns: the ones the loss is computed on.
    public var assistant: Int

    /// Creates counts.
    public init(total: Int, assistant: Int) {
        self.total = total
        self.assistant = assistant
    }
}
