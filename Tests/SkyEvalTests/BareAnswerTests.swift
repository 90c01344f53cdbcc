import Foundation
import SkyEval
import Testing

/// A bare answer handed over as the prediction (`skyctl grade --bare`, `"bare": true` in JSONL, what other harnesses
/// hand over) is read whole, as a gold answer is, instead of being searched for "the last number" (issue 17).
@Suite struct BareAnswerTests {
    static let pmatrix = "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"

    /// The examples: each was graded wrong as a model output ("4 vs 0.5", "no answer found", …).
    @Test(arguments: [
        ("\\frac{1}{2}", "\\frac{2}{4}"), ("1/2", "\\frac{1}{2}"), ("C", "C"), (pmatrix, pmatrix), ("x^2+1", "1+x^2"),
        ("\\text{yes}", "yes"), ("5", "\\boxed{5}"), ("(1,2]", "(1, 2]"),
    ])
    func bareAnswersThatAreEqualAreGradedCorrect(gold: String, answer: String) {
        let verdict = Grader.grade(gold: gold, answer: answer)
        #expect(verdict.correct, "\(verdict)")
        #expect(verdict.reason.hasPrefix("answer given; "))
    }

    @Test(arguments: [("\\frac{1}{2}", "\\frac{1}{4}"), ("C", "D"), ("1/2", "2"), ("x^2+1", "x^2-1"), ("5", "\\boxed{6}")])
    func bareAnswersThatDifferAreGradedWrong(gold: String, answer: String) {
        #expect(!Grader.grade(gold: gold, answer: answer).correct)
    }

    /// The same texts as model outputs keep the extraction rules evals depend on; only a bare answer is read whole.
    @Test func aModelOutputIsStillSearchedForItsFinalAnswer() {
        #expect(!Grader.grade(gold: "\\frac{1}{2}", prediction: "\\frac{2}{4}").correct)
        #expect(Grader.grade(gold: "7", prediction: "so 3 + 4 = 7").correct)
        #expect(!Grader.grade(gold: "7", answer: "so 3 + 4 = 7").correct)
        #expect(Grader.grade(gold: "1", answer: " ").reason == "empty answer")
    }

    @Test func jsonlLinesSayWhichPredictionsAreBare() throws {
        let input = """
        {"gold": "\\\\frac{1}{2}", "pred": "\\\\frac{2}{4}", "bare": true}
        {"gold": "\\\\frac{1}{2}", "pred": "\\\\frac{2}{4}"}
        {"gold": "C", "pred": "C", "bare": true}
        """
        let lines = try GradeBatch.grade(jsonl: input).map { try JSONDecoder().decode(GradeBatch.Line.self, from: Data($0.utf8)) }
        #expect(lines.map(\.correct) == [true, false, true])
        #expect(lines[1].reason.hasPrefix("last number"))
    }
}

/// A function or Greek letter glued to its argument reads as the command then letters (`\cotx` is `\cot x`), the
/// class of answers where Sky disagreed with both Math-Verify and PRM800K in scripts/bench/grader-corpus.jsonl;
/// commands Sky knows whole stay whole.
@Suite struct GluedCommandTests {
    @Test(arguments: [("\\cotx", "\\cot x"), ("\\lnx", "\\ln x"), ("\\pir^2", "\\pi r^2"), ("\\sinx+1", "1+\\sin x"), ("2\\thetax", "2\\theta x")])
    func gluedAndSpacedAreTheSameAnswer(gold: String, answer: String) {
        #expect(Grader.grade(gold: gold, answer: answer).correct, "\(gold) vs \(answer)")
        #expect(Grader.grade(gold: answer, answer: gold).correct, "\(answer) vs \(gold)")
    }

    @Test func knownCommandsAreNotSplit() {
        #expect(!Grader.grade(gold: "\\sinh x", answer: "\\sin hx").correct)
        #expect(!Grader.grade(gold: "\\cot x", answer: "\\cos x").correct)
        #expect(Grader.grade(gold: "6", answer: "2\\cdot3").correct)
        #expect(Grader.grade(gold: "\\sinh x", answer: "\\sinh{x}").correct)
    }
}
