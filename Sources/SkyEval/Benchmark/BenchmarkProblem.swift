/// One question of a benchmark: a math problem with a gold answer, or a coding problem with tests.
public struct BenchmarkProblem: Sendable, Equatable, Codable {
    /// Unique within its benchmark.
    public var id: String
    /// The question as shown to the model.
    public var problem: String
    /// The gold answer of a math problem; nil for code.
    public var answer: String?
    /// Difficulty ("Level 3", "hard", …) when the source has one; used for per-level breakdowns.
    public var level: String?
    /// Subject or subfield when the source has one.
    public var subject: String?
    /// The tests of a coding problem; nil for math.
    public var tests: CodeTests?
    /// Per-test wall-clock limit in seconds for a coding problem, when the source sets one.
    public var timeLimit: Double?
    /// Code the answer must complete (a LeetCode-style `class Solution` signature), when there is one.
    public var starterCode: String?

    /// A problem from its parts.
    public init(id: String, problem: String, answer: String? = nil, level: String? = nil, subject: String? = nil,
                tests: CodeTests? = nil, timeLimit: Double? = nil, starterCode: String? = nil) {
        self.id = id
        self.problem = problem
        self.answer = answer
        self.level = level
        self.subject = subject
        self.tests = tests
        self.timeLimit = timeLimit
        self.starterCode = starterCode
    }

    /// Code when the problem has tests, otherwise math.
    public var kind: BenchmarkKind { tests == nil ? .math : .code }
}
