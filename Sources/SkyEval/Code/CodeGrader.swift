import SkyCore

/// Grades a model's output for a coding problem: extract the last code block, run it once per test in the sandbox,
/// stop at the first failing test. Correct only if every test passes.
public struct CodeGrader: Sendable {
    /// The sandbox tests run in.
    public var sandbox: CodeSandbox

    /// A grader running tests in `sandbox`.
    public init(sandbox: CodeSandbox) { self.sandbox = sandbox }

    /// Grades `output` against `tests`; `timeLimit` (seconds) overrides the sandbox's wall-clock limit per test.
    public func grade(output: String, tests: CodeTests, timeLimit: Double? = nil) throws(SandboxError) -> CodeVerdict {
        guard let code = CodeExtractor.lastCodeBlock(in: output) else {
            return CodeVerdict(correct: false, code: nil, passed: 0, total: tests.count, reason: "no code block found")
        }
        return try grade(code: code, tests: tests, timeLimit: timeLimit)
    }

    /// Grades a program (already extracted) against `tests`.
    public func grade(code: String, tests: CodeTests, timeLimit: Double? = nil) throws(SandboxError) -> CodeVerdict {
        let limits = sandbox.limits.with(timeLimit: timeLimit)
        let total = tests.count
        func failed(_ index: Int, _ why: String) -> CodeVerdict {
            CodeVerdict(correct: false, code: code, passed: index, total: total, reason: "test \(index + 1) of \(total): \(why)")
        }
        switch tests {
        case .stdio(let cases):
            for (index, test) in cases.enumerated() {
                let run = try sandbox.run(program: code, stdin: test.input, limits: limits)
                if let failure = run.failure { return failed(index, failure) }
                if !OutputComparison.stdoutMatches(expected: test.output, actual: run.stdout) {
                    return failed(index, "wrong answer: expected \(Self.excerpt(test.output)), got \(Self.excerpt(run.stdout))")
                }
            }
        case .functional(let name, let cases):
            for (index, test) in cases.enumerated() {
                let (run, outcome) = try sandbox.call(program: code, function: name, arguments: test.arguments,
                                                      expected: test.expected, limits: limits)
                if let failure = run.failure { return failed(index, failure) }
                guard let outcome else { return failed(index, "runtime error: the harness reported no result") }
                if !outcome.passed {
                    return failed(index, "wrong answer: expected \(Self.excerpt(test.expected)), got \(Self.excerpt(outcome.got))")
                }
            }
        }
        return CodeVerdict(correct: true, code: code, passed: total, total: total, reason: "all \(total) tests passed")
    }

    /// `grade(output:tests:timeLimit:)` off the cooperative thread pool.
    public func gradeAsync(output: String, tests: CodeTests, timeLimit: Double? = nil) async throws(SandboxError) -> CodeVerdict {
        try await BlockingWork.run { () throws(SandboxError) in try grade(output: output, tests: tests, timeLimit: timeLimit) }
    }

    /// `grade(code:tests:timeLimit:)` off the cooperative thread pool.
    public func gradeAsync(code: String, tests: CodeTests, timeLimit: Double? = nil) async throws(SandboxError) -> CodeVerdict {
        try await BlockingWork.run { () throws(SandboxError) in try grade(code: code, tests: tests, timeLimit: timeLimit) }
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingASCIIWhitespace()
        return trimmed.count <= 60 ? "'\(trimmed)'" : "'\(trimmed.prefix(60))…' (\(trimmed.utf8.count) bytes)"
    }
}
