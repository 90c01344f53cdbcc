/// Bounds on the work one grading may do, so hostile input ends as "incorrect" with a reason instead of a hang.
public struct GradingLimits: Sendable, Equatable {
    /// Longest model output scanned for an answer, in characters (32k tokens of text fit well inside).
    public var maxOutputLength: Int
    /// Longest extracted or gold answer that is normalised and parsed; longer ones are compared as text.
    public var maxAnswerLength: Int
    /// Deepest nesting the expression parser follows.
    public var maxDepth: Int
    /// Most elements in a tuple, set or matrix.
    public var maxElements: Int

    /// Limits with room for any real benchmark answer.
    public init(maxOutputLength: Int = 1_000_000, maxAnswerLength: Int = 1_000, maxDepth: Int = 48, maxElements: Int = 256) {
        self.maxOutputLength = maxOutputLength
        self.maxAnswerLength = maxAnswerLength
        self.maxDepth = maxDepth
        self.maxElements = maxElements
    }

    /// The limits `Grader` uses unless told otherwise.
    public static let standard = GradingLimits()
}
