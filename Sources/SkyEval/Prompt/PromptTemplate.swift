public import SkyModel

/// How a problem becomes the chat a model is asked: Sky-T1's system prompt and boxed-answer instruction, the bare
/// problem, or a custom pair of texts with `{problem}` (and `{starter_code}`) placeholders.
///
/// Coding problems get LiveCodeBench's instruction after the problem in `skyT1` and `plain`: read stdin and write
/// stdout, or complete the starter code, answering in one ```python block.
public enum PromptTemplate: Sendable, Equatable {
    /// Sky-T1's system prompt; user turn `Return your final response within \boxed{}. {problem}` (math).
    case skyT1
    /// No system prompt; the user turn is the problem.
    case plain
    /// Your own system prompt (optional) and user turn; see `PromptTemplateSpec` for the placeholders.
    case custom(system: String?, user: String)

    /// A template by name: "sky-t1" (also "skyT1", "sky_t1") or "plain".
    public init(name: String) throws(PromptTemplateError) {
        switch name.lowercased().filter({ $0.isLetter || $0.isNumber }) {
        case "skyt1": self = .skyT1
        case "plain": self = .plain
        default: throw .unknownName(name)
        }
    }

    /// The name used in specs and records: "sky-t1", "plain" or "custom".
    public var name: String {
        switch self {
        case .skyT1: "sky-t1"
        case .plain: "plain"
        case .custom: "custom"
        }
    }

    /// The chat for `problem`.
    public func messages(for problem: BenchmarkProblem) throws(PromptTemplateError) -> [ChatMessage] {
        switch self {
        case .skyT1:
            let user = problem.kind == .math
                ? "Return your final response within \\boxed{}. \(problem.problem)"
                : Self.codeQuestion(problem)
            return [.system(SkyT1.systemPrompt), .user(user)]
        case .plain:
            return [.user(problem.kind == .math ? problem.problem : Self.codeQuestion(problem))]
        case .custom(let system, let user):
            var messages: [ChatMessage] = []
            if let system { messages.append(.system(try Self.fill(system, problem: problem))) }
            messages.append(.user(try Self.fill(user, problem: problem)))
            return messages
        }
    }

    /// Checks a custom template's placeholders without a problem, so a bad job spec fails when submitted.
    public func validate() throws(PromptTemplateError) {
        guard case .custom(let system, let user) = self else { return }
        if let system { _ = try PromptPlaceholders.parse(system) }
        _ = try PromptPlaceholders.parse(user)
    }

    static func fill(_ template: String, problem: BenchmarkProblem) throws(PromptTemplateError) -> String {
        var text = ""
        for piece in try PromptPlaceholders.parse(template) {
            switch piece {
            case .text(let literal): text += literal
            case .problem: text += problem.problem
            case .starterCode:
                guard let starter = problem.starterCode else { throw .noStarterCode(problemId: problem.id) }
                text += starter
            }
        }
        return text
    }

    /// LiveCodeBench's generation prompt for a problem with or without starter code.
    static func codeQuestion(_ problem: BenchmarkProblem) -> String {
        let lead = "You will be given a question (problem specification) and will generate a correct Python program "
            + "that matches the specification and passes all tests.\n\nQuestion: \(problem.problem)\n\n"
        if let starter = problem.starterCode {
            return lead + "You will use the following starter code to write the solution to the problem and enclose "
                + "your code within delimiters.\n```python\n\(starter)\n```\n"
        }
        return lead + "Read the inputs from stdin solve the problem and write the answer to stdout (do not directly test "
            + "on the sample inputs). Enclose your code within delimiters as follows. Ensure that when the python program "
            + "runs, it reads the inputs, runs the algorithm and writes output to STDOUT.\n```python\n# YOUR CODE HERE\n```\n"
    }
}
