import SkyData
import SkyEval
import Testing

/// `wrong_answer`'s answers are wrong by Sky's own grader: for every answer shape the perturbation changes, the grader
/// accepts the original and rejects what replaced it, so a "wrong" answer is never an equivalent respelling.
@Suite struct WrongAnswerGradingTests {
    /// Answer shapes from MATH500, AIME, AMC and OlympiadBench, as gold answers are written.
    static let answers = [
        "42", "-7", "0", "1,000", "12{,}345", "123456", "98765", "1000000", "2432902008176640000000", "1,\\!000",
        "\\$32,348", "\\$1,234,567",
        "3.25", "-0.5", "3.14159", "0.0001", "123.456",
        "\\frac{3}{4}", "-\\dfrac{1}{2}", "7/8", "\\frac{12345}{2}",
        "4210_5", "4210_{5}", "1011_2", "1011011101_2", "(2012)_3", "\\text{A3}_{16}",
        "1.5e3", "3 \\times 10^{8}", "6.02\\times10^{23}", "2.5 \\cdot 10^{-3}",
        "2\\sqrt{3}", "30^\\circ", "x^2 + 1", "(1, 2]", "\\{1, 2, 3\\}", "50\\%", "\\$1.50", "2\\pi", "x \\ge 3", "(3, -4)",
        "\\frac{\\sqrt{3}}{2}", "6\\text{ cm}^2", "24\\text{ square units}", "\\sqrt{123456}", "y = 2x + 3", "[-2, 5)",
        "(-\\infty, 0]", "\\frac{\\pi}{3}", "-2, 2", "\\left( 3, \\frac{\\pi}{2} \\right)", "6 - 5i", "x \\in [-2,7]",
        "\\begin{pmatrix} -5 \\\\ 9 \\end{pmatrix}", "(0,9) \\cup (9,36)", "2516_8", "\\text{east}", "3, 5, 7",
        "C", "(B)", "\\text{(C)}", "\\textbf{(E)}",
        "\\text{yes}", "No", "\\text{odd}", "\\text{Monday}",
        "\\pi", "-\\pi", "\\infty", "-\\infty",
        "x", "P", "\\theta",
        "\\cot x", "\\sin\\theta", "\\ln x", "\\sec x \\tan x", "\\sin x",
        "p - q", "a + b + c", "x_1 + x_2", "\\frac{a}{b}", "-\\sqrt{x}", "|a - b|", "ab",
        "a < b", "y = x", "x \\le y \\le z",
        "(-\\infty, a]", "[a, \\infty)", "(-\\infty, \\infty)", "(a, b)", "\\{a, -b\\}",
    ]

    @Test(arguments: answers)
    func theGraderRejectsEveryWrongAnswer(answer: String) throws {
        #expect(Grader.grade(gold: answer, prediction: "\\boxed{\(answer)}").correct, "the grader does not read \(answer)")
        for seed in 0..<20 as Range<UInt64> {
            let response = "<|begin_of_thought|>\n\nSo it is \(answer).\n\n<|end_of_thought|>\n\n"
                + "<|begin_of_solution|>\n\nThe answer is \\boxed{\(answer)}\n\n<|end_of_solution|>"
            var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: response)])
            var rng = SkyData.SplitMix64(seed: seed)
            let effect = WrongAnswer(selection: .all).apply(to: &record, index: 0, rng: &rng)
            #expect(effect.changed, "\(answer) was left unchanged")
            let verdict = Grader.grade(gold: answer, prediction: record.response!)
            #expect(!verdict.correct, "\(answer) → \(verdict.extracted ?? "nothing") graded equal: \(verdict.reason)")
        }
    }
}
