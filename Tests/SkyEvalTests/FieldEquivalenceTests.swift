import SkyEval
import Testing

/// The equivalence classes issue 17 names, each with pairs that must match and pairs that must not, so a rule that
/// accepted everything would fail here (grader 1.3.0; docs/grading.md has the measurements).
@Suite struct FieldEquivalenceTests {
    static let equivalent: [(gold: String, pred: String)] = [
        // ASCII relations, and inequalities with both sides negated
        ("x \\geq 3", "x>=3"), ("x \\le 2", "x <= 2"), ("x \\neq 3", "x != 3"), ("x<1", "-x>-1"), ("x \\le 1", "-x >= -1"),
        // a percent word on one side
        ("25\\%", "25 pct"), ("28\\%", "28 percentage"),
        // equation chains, \approx, a side that only names the answer, a computation ending in its value
        ("20", "a+b+c=11+9+0=20"), ("2", "z = 3+3 = 2"), ("\\sqrt{2}", "\\sqrt{2} \\approx 1.414"), ("3.14", "\\pi \\approx 3.14"),
        ("12.5", "\\approx 12.5"), ("11", "x\\approx11"), ("(3,2)", "(p,q)=(3,2)"), ("4,5", "AB=4,CD=5"), ("1", "f(x)=1"),
        ("7:32", "S_{MBCN}:S=7:32"), ("5", "2+3=5"),
        // an inequality and the interval it describes
        ("[-2,7]", "-2 \\le x \\le 7"), ("x \\in [-2,7]", "-2\\le x\\le 7"), ("(0,1)", "0<f(x)<1"), ("(3,\\infty)", "x>3"),
        ("(-\\infty,5]", "x \\le 5"),
        // an equation against one of its multiples, or against "y = …" solved for a variable
        ("x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4"), ("2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}"), ("x - (y+2) = 0", "x = y + 2"),
        // matrices written as arrays in brackets
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 2 \\\\ 3 & 4\\end{array}\\right]"),
        // a sum or product of matrices with constant entries, written out
        ("\\begin{pmatrix}6&8\\\\10&12\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} + \\begin{pmatrix}5&6\\\\7&8\\end{pmatrix}"),
        ("\\begin{pmatrix}2&1\\\\4&3\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}"),
        // ±, braces without backslashes, repeats, semicolons, "and"/"or"
        ("\\pm 2", "-2, 2"), ("\\pm 2021", "{-2021, 2021}"), ("2,3,5", "{2, 3, 5}"), ("(1,2),(3,4)", "(3,4),(1,2),(3,4)"),
        ("(0,-2,6)", "(0;-2;6)"), ("-12,-11", "-12;-11"), ("(5,2),(7,2)", "p=5,q=2;p=7,q=2"), ("1,2,3", "1 and 2 and 3"),
        ("$21,16$ or $11$", "21,16,11"), ("19, 46, and 82", "19, 46, \\text{ and } 82"), ("(11,7)or(7,11)", "(7,11),(11,7)"),
        // math delimiters inside the answer, doubled backslashes, a \quad glued to a name
        ("$125$ miles", "125"), ("\\\\left(\\\\frac{1}{5},\\\\frac{1}{6}\\\\right)", "(\\frac15, \\frac16)"),
        ("x_{1}=1,\\quadx_{2}=2", "1, 2"),
        // number separators
        ("1.22", "1{,}22"), ("3.5", "3 {,} 5"), ("14916", "14{,}916"), ("32349", "32,\\! 349"), ("0,111", "111, 0"),
        // units made of several letters with a slash, after a number
        ("10", "10 \\mathrm{~m/s}"), ("10", "10\\,\\text{m/s}"),
        // choice letters
        ("C", "c"), ("B", "\\textbf{(B) } 27"),
    ]

    static let different: [(gold: String, pred: String)] = [
        ("x \\geq 3", "x>3"), ("x \\geq 3", "x<=3"), ("x<1", "-x<-1"), ("x<1", "x>-1"),
        ("25\\%", "0.25\\%"), ("25\\%", "26 pct"),
        ("20", "a+b+c=11+9+0=21"), ("3", "\\pi \\approx 3.14"), ("11a+c", "7=11a+c"), ("0", "a+3z=0"), ("1", "2x+z=1"),
        ("4", "x^2=4"), ("(3,2)", "(p,q)=(2,3)"), ("6", "2+3=5"),
        ("[-2,7]", "-2 < x \\le 7"), ("[3,\\infty)", "x>3"), ("(0,1)", "0<f(x)<2"),
        ("2x+4y-3=0", "y=-\\frac{1}{2}x+1"), ("x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/3"),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\left[\\begin{array}{cc}1 & 2 \\\\ 3 & 5\\end{array}\\right]"),
        ("\\begin{pmatrix}6&8\\\\10&13\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} + \\begin{pmatrix}5&6\\\\7&8\\end{pmatrix}"),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}\\begin{pmatrix}0&1\\\\1&0\\end{pmatrix}"),
        ("2", "\\pm 2"), ("\\pm 2", "2"), ("(1,2),(3,4)", "(1,2),(3,5),(1,2)"), ("(5,2),(7,2)", "p=5,q=2;p=7,q=3"),
        ("1,2,3", "1 and 2 and 4"), ("19, 46, and 82", "21, 36, and 82"), ("$125$ miles", "126"),
        ("1.22", "1,22"), ("122", "1{,}22"), ("32349", "32, 349"), ("111", "0,111"), ("12.5", "\\approx 12.6"),
        ("2,3,5", "{2, 3, 6}"), ("(0,-2,6)", "(0;-2;7)"), ("x_{1}=1,\\quadx_{2}=2", "1, 3"),
        ("\\\\frac{1}{5}", "\\frac{1}{6}"),
        ("10", "11\\text{ m/s}"), ("e", "\\mathrm{e}+1"), ("B", "(C) 27"), ("x", "X"),
    ]

    @Test(arguments: equivalent)
    func equivalentPairsGradeCorrect(_ pair: (gold: String, pred: String)) {
        let verdict = Grader.grade(gold: pair.gold, prediction: "so \\boxed{\(pair.pred)}")
        #expect(verdict.correct, "\(pair.gold) vs \(pair.pred): \(verdict.gold) / \(verdict.pred): \(verdict.reason)")
        #expect(Grader.grade(gold: pair.gold, answer: pair.pred).correct, "bare \(pair.pred)")
    }

    @Test(arguments: different)
    func differentPairsGradeIncorrect(_ pair: (gold: String, pred: String)) {
        let verdict = Grader.grade(gold: pair.gold, prediction: "so \\boxed{\(pair.pred)}")
        #expect(!verdict.correct, "\(pair.gold) vs \(pair.pred): \(verdict.gold) / \(verdict.pred): \(verdict.reason)")
        #expect(!Grader.grade(gold: pair.gold, answer: pair.pred).correct, "bare \(pair.pred)")
    }

    /// Boxes in a row are one list answer, against a list gold only; a sentence between them keeps them apart.
    @Test func severalBoxesAreOneListOnlyAgainstAListGold() {
        #expect(Grader.grade(gold: "1,-2", prediction: "The integers are \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}.").correct)
        #expect(Grader.grade(gold: "(2,2),(6,2)", answer: "\\boxed{(2, 2)} \\text{ for part (a) and } \\boxed{(6, 2)}").correct)
        #expect(Grader.grade(gold: "\\boxed{1}, \\boxed{2}", answer: "2, 1").correct)
        #expect(!Grader.grade(gold: "\\boxed{1} no no no no no \\boxed{2}", answer: "\\boxed{1,2}").correct)
        // Against a single gold the last box is still the answer, so integer verdicts do not move.
        #expect(Grader.grade(gold: "1", prediction: "\\boxed{2} and \\boxed{1}").correct)
        #expect(!Grader.grade(gold: "1,2", prediction: "\\boxed{1} and \\boxed{3}").correct)
    }

    @Test func finalAnswerSentencesAndTrailingNumbersAreFound() {
        #expect(Grader.grade(gold: "7.78", prediction: "Cost $= \\frac{70}{9}$. Final Answer: The final answer is 7.78. I hope it is correct.").correct)
        #expect(!Grader.grade(gold: "7.79", prediction: "Cost $= \\frac{70}{9}$. Final Answer: The final answer is 7.78. I hope it is correct.").correct)
        #expect(Grader.grade(gold: "120", prediction: "So the volume of $ABCDEFGH$ is 120.").correct)
        #expect(!Grader.grade(gold: "121", prediction: "So the volume of $ABCDEFGH$ is 120.").correct)
        #expect(Grader.grade(gold: "2/3", prediction: "so the probability that Alice wins is 2/3.").correct)
        #expect(!Grader.grade(gold: "3", prediction: "so the probability that Alice wins is 2/3.").correct)
    }

    /// Inline math does not run across a line break: "$ \n 9 \n $" is no span.
    @Test func inlineMathStaysOnOneLine() {
        #expect(AnswerExtractor.extract(from: "Answer $ 9 $")?.method == .mathSpan)
        #expect(AnswerExtractor.extract(from: "Answer $ \n 9 \n $")?.method == .lastNumber)
        #expect(AnswerExtractor.extract(from: "Answer $$ \n 9 \n $$")?.method == .mathSpan)
    }

    /// A gold that is a whole worked solution without a box is read as an output is.
    @Test func aWorkedSolutionAsGoldIsSearchedForItsAnswer() {
        let solution = String(repeating: "The stock loses $10\\%$ and then $20\\%$ of its value. ", count: 30)
            + "Final Answer: The final answer is $28 \\%$. I hope it is correct."
        #expect(Grader.grade(gold: solution, prediction: "a total loss of $\\boxed{28\\%}$.").correct)
        #expect(!Grader.grade(gold: solution, prediction: "a total loss of $\\boxed{20\\%}$.").correct)
    }
}
