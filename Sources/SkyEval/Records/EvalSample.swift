/// One graded generation: what the executor stores per (problem, sample).
public struct EvalSample: Sendable, Equatable, Codable {
    /// The problem's id in its benchmark.
    public var problemId: String
    /// 0-based index among the n samples of this problem.
    public var sampleIndex: Int
    /// Tokens in the prompt after the chat template.
    public var promptTokens: Int
    /// The generated text.
    public var output: String
    /// The extracted answer (math) or program (code); nil when none was found.
    public var extracted: String?
    /// Whether it was graded correct.
    public var correct: Bool
    /// The grader's reason.
    public var reason: String
    /// Tokens generated.
    public var outputTokens: Int
    /// Why generation stopped: "stop" (end of sequence), "length" (max new tokens), …
    public var finishReason: String

    /// A sample from its parts.
    public init(problemId: String, sampleIndex: Int, promptTokens: Int, output: String, extracted: String?, correct: Bool,
                reason: String, outputTokens: Int, finishReason: String) {
        self.problemId = problemId
        self.sampleIndex = sampleIndex
        self.promptTokens = promptTokens
        self.output = output
        self.extracted = extracted
        self.correct = correct
        self.reason = reason
        self.outputTokens = outputTokens
        self.finishReason = finishReason
    }
}
