/// Grades one output for one problem whatever its kind: math through `Grader.grade`, code through the sandbox, so the
/// eval executor does not care which.
public struct SampleGrader: Sendable {
    /// The verdict in the shape `EvalSample` stores.
    public struct Result: Sendable, Equatable {
        /// Whether the output was graded correct.
        public var correct: Bool
        /// The extracted answer or program.
        public var extracted: String?
        /// Why.
        public var reason: String
    }

    /// Runs code tests; nil when no python3 is available, in which case code problems grade as errors.
    public var codeGrader: CodeGrader?
    /// Limits for math grading.
    public var mathLimits: GradingLimits

    /// A grader; `sandbox` nil means find python3 on this machine (code problems then fail with a clear reason if absent).
    public init(sandbox: CodeSandbox? = nil, mathLimits: GradingLimits = .standard) {
        codeGrader = (sandbox ?? (try? CodeSandbox())).map(CodeGrader.init)
        self.mathLimits = mathLimits
    }

    /// Grades `output` for `problem`. Blocks while code tests run; see `gradeAsync`.
    public func grade(output: String, for problem: BenchmarkProblem) -> Result {
        if let tests = problem.tests {
            guard let codeGrader else { return Result(correct: false, extracted: nil, reason: "cannot grade code: python3 not found") }
            do throws(SandboxError) {
                let verdict = try codeGrader.grade(output: output, tests: tests, timeLimit: problem.timeLimit)
                return Result(correct: verdict.correct, extracted: verdict.code, reason: verdict.reason)
            } catch {
                return Result(correct: false, extracted: CodeExtractor.lastCodeBlock(in: output), reason: error.description)
            }
        }
        let verdict = Grader.grade(gold: problem.answer ?? "", prediction: output, limits: mathLimits)
        return Result(correct: verdict.correct, extracted: verdict.extracted, reason: verdict.reason)
    }
}

extension SampleGrader {
    /// `grade` off the cooperative thread pool: code tests block a thread for up to their time limits.
    public func gradeAsync(output: String, for problem: BenchmarkProblem) async -> Result {
        guard problem.tests != nil else { return grade(output: output, for: problem) }
        return await BlockingWork.run { grade(output: output, for: problem) }
    }
}
