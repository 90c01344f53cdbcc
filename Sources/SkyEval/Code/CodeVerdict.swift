/// The grade of one program against a problem's tests.
public struct CodeVerdict: Sendable, Equatable, Codable {
    /// Every test passed.
    public var correct: Bool
    /// The program that was run; nil when the output held no code block.
    public var code: String?
    /// Tests passed before the first failure (all of them when correct).
    public var passed: Int
    /// Tests the problem has.
    public var total: Int
    /// "all N tests passed", or which test failed and why (wrong answer, timeout, runtime error, memory, output too large).
    public var reason: String
}
