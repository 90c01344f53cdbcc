/// Writes the demonstrations for a synthetic problem: long CoT in Sky-T1 format and a short CoT.
///
/// The long Thought always holds, as blank-line separated steps: an exploration of approaches, the
/// steps with one mistaken result, a reflection ("Wait, …") that catches it, a backtrack that redoes
/// the step, a verification by undoing every operation, and a conclusion; the Solution ends in `\boxed{}`.
enum SyntheticDemonstrations {
    static let system = "Your role as an assistant involves thoroughly exploring questions through a systematic long "
        + "thinking process before providing the final precise and accurate solutions. Please structure your response "
        + "into two main sections: Thought and Solution. In the Thought section, detail your reasoning process using "
        + "the specified format: <|begin_of_thought|> {thought with steps separated with '\\n\\n'} <|end_of_thought|> "
        + "In the Solution section, present the final solution that you deem correct, in the format: "
        + "<|begin_of_solution|> {final formatted, precise, and clear solution} <|end_of_solution|>"

    static func prompt(_ problem: SyntheticProblem) -> String {
        "Return your final response within \\boxed{}. " + problem.text
    }

    /// The long-CoT assistant turn; `mistakeAt` is the operation whose first result is wrong, `slip` the error.
    static func longThought(_ problem: SyntheticProblem, mistakeAt: Int, slip: Int) -> String {
        let values = problem.values
        var steps: [String] = []
        steps.append("Okay, so I start from \(problem.start) and apply \(problem.operations.count) operations in order. "
            + "Let me think about how to approach this.")
        steps.append("One idea is to combine all the additions and subtractions first, but multiplication does not "
            + "commute with them, so the order matters. I will apply the operations one at a time.")
        for (position, operation) in problem.operations.enumerated() {
            let before = values[position]
            let after = values[position + 1]
            let line = "Step \(position + 1): \(before) \(operation.symbol) \(operation.operand)"
            if position == mistakeAt {
                steps.append("\(line) = \(after + slip).")
                steps.append("Wait, let me check that. \(before) \(operation.symbol) \(operation.operand) is \(after), not \(after + slip). "
                    + "I made a mistake, so I go back to step \(position + 1) and redo it.")
                steps.append("\(line) = \(after).")
            } else {
                steps.append("\(line) = \(after).")
            }
        }
        var check = "Let me verify by undoing the operations from \(problem.answer):"
        var value = problem.answer
        for operation in problem.operations.reversed() {
            let previous = operation.undo(value)
            check += " \(value) undo \(operation.symbol) \(operation.operand) gives \(previous);"
            value = previous
        }
        check += " that is the start value \(problem.start), so the result checks out."
        steps.append(check)
        steps.append("So the final result is \(problem.answer).")
        let solution = (0..<problem.operations.count).map { position in
            let operation = problem.operations[position]
            return "\(values[position]) \(operation.symbol) \(operation.operand) = \(values[position + 1])"
        }.joined(separator: "\n\n")
        typealias M = ReasoningMarkers
        return M.beginThought + "\n\n" + steps.joined(separator: "\n\n") + "\n\n" + M.endThought + "\n\n"
            + M.beginSolution + "\n\n" + solution + "\n\nThe result is \\boxed{\(problem.answer)}.\n\n" + M.endSolution
    }

    /// The short-CoT assistant turn: the steps and the boxed answer, no reflection, no markers.
    static func shortAnswer(_ problem: SyntheticProblem) -> String {
        let values = problem.values
        let steps = problem.operations.enumerated().map { position, operation in
            "\(values[position]) \(operation.symbol) \(operation.operand) = \(values[position + 1])."
        }
        return steps.joined(separator: " ") + " The answer is \\boxed{\(problem.answer)}."
    }
}
