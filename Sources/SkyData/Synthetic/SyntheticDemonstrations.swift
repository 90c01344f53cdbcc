/// Writes the demonstrations for a synthetic problem: long CoT in Sky-T1 format and a short CoT.
///
/// The long Thought always holds, as blank-line separated steps: a plan, an exploration that rejects the
/// shortcut, one line per addition with one mistaken result, a reflection ("Wait, …") that recomputes it,
/// a backtrack that redoes the line, a verification that undoes the last addition, and a conclusion. Each
/// addition line counts down what is left, so every line depends only on the one above it. The Solution
/// ends in `\boxed{}`. Sentences are short on purpose: every token costs training time on a laptop.
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

    /// The long-CoT assistant turn; `mistakeAt` is the addition whose first result is wrong, `slip` (1…9) how
    /// far off it is.
    static func longThought(_ problem: SyntheticProblem, mistakeAt: Int, slip: Int) -> String {
        let values = problem.values, step = problem.step, count = problem.count
        var steps: [String] = []
        steps.append("I start at \(problem.start) and add \(step) \(count) times, one line per step, counting down what is left.")
        steps.append("Adding \(step) times \(count) at once is easy to get wrong, so I go step by step.")
        for position in 0..<count {
            let line = "\(count - position - 1) left: \(values[position]) + \(step) ="
            if position == mistakeAt {
                let wrong = (values[position + 1] + slip) % 10
                steps.append("\(line) \(wrong).")
                steps.append("Wait, \(values[position]) + \(step) is \(values[position] + step), so the digit is "
                    + "\(values[position + 1]), not \(wrong). Let me redo it.")
            }
            steps.append("\(line) \(values[position + 1]).")
        }
        steps.append("Let me verify the last step: \(problem.answer) - \(step) gives \(values[count - 1]), "
            + "which is where it started. Yes.")
        steps.append("So the final digit is \(problem.answer).")
        typealias M = ReasoningMarkers
        return M.beginThought + "\n\n" + steps.joined(separator: "\n\n") + "\n\n" + M.endThought + "\n\n"
            + M.beginSolution + "\n\nThe answer is \\boxed{\(problem.answer)}.\n\n" + M.endSolution
    }

    /// The short-CoT assistant turn: the answer at once, no steps, no markers.
    static func shortAnswer(_ problem: SyntheticProblem) -> String {
        "The answer is \\boxed{\(problem.answer)}."
    }
}
