import SkyEval
import Testing

/// Pairs written from the grading rules (PAPER.md, issue 7): each must grade as stated, and the other
/// table's pairs must not, so a grader that says "correct" to everything fails half of them.
@Suite struct EquivalenceTableTests {
    static let equivalent: [(gold: String, pred: String)] = [
        // exact and spacing
        ("5", "5"), ("42", " 42 "), ("x+1", "x + 1"), ("\\frac{1}{2}", "\\frac {1} {2}"),
        // fractions, decimals, \dfrac / \tfrac, a/b
        ("\\frac{1}{2}", "0.5"), ("\\frac{1}{2}", "\\dfrac{1}{2}"), ("\\frac{3}{4}", "\\tfrac34"), ("\\frac{3}{4}", "3/4"),
        ("0.75", "3/4"), ("-\\frac{2}{3}", "-2/3"), ("\\frac{-2}{3}", "-\\frac{2}{3}"), ("\\frac12", "\\frac{1}{2}"),
        ("\\frac{1}{3}", "0.33333"), ("2.5", "\\frac{5}{2}"), ("\\frac{10}{4}", "\\frac{5}{2}"),
        // thousands separators, trailing zeros, leading dot
        ("1000", "1,000"), ("1234567", "1,234,567"), ("1000", "1{,}000"), ("1000", "1\\,000"), ("0.5", "0.50"),
        ("12", "12.00"), ("0.5", ".5"), ("3.14", "3.140"), ("100", "100.0"),
        // negatives and scientific notation
        ("-3", "-3.0"), ("-7", "−7"), ("1500", "1.5\\times10^{3}"), ("1500", "1.5 \\times 10^3"), ("0.001", "10^{-3}"),
        ("0.00025", "2.5e-4"), ("3000000", "3 \\cdot 10^6"),
        // roots, π, powers
        ("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"), ("\\sqrt{2}/2", "\\frac{1}{\\sqrt2}"), ("2\\sqrt{3}", "\\sqrt{12}"),
        ("\\sqrt[3]{8}", "2"), ("\\sqrt[3]{-27}", "-3"), ("\\frac{\\pi}{2}", "1.5707963"), ("\\pi/2", "1.5707963"),
        ("2\\pi", "6.2831853"), ("\\pi r^2", "r^2\\pi"), ("2^{10}", "1024"), ("4^{1/2}", "2"), ("e^2", "7.389056"),
        ("10!", "3628800"), ("\\binom{5}{2}", "10"), ("\\left(\\frac{1}{2}\\right)^2", "\\frac14"),
        // trigonometry and logarithms
        ("\\sin(\\pi/6)", "\\frac{1}{2}"), ("\\cos 0", "1"), ("\\tan\\frac{\\pi}{4}", "1"), ("\\ln e", "1"),
        ("\\log_2 8", "3"), ("\\log 100", "2"), ("\\sin^2 x + \\cos^2 x", "1"),
        // expressions with variables
        ("2x+1", "1+2x"), ("x^2-1", "(x-1)(x+1)"), ("(a+b)^2", "a^2+2ab+b^2"), ("\\frac{x}{2}", "0.5x"),
        ("3x", "x\\cdot 3"), ("\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}"), ("\\sqrt{x^2}", "x"), ("x_1+x_2", "x_2+x_1"),
        ("2\\alpha", "\\alpha+\\alpha"), ("\\frac{n(n+1)}{2}", "\\frac{n^2+n}{2}"),
        // x= prefixes, equations, inequalities
        ("3", "x=3"), ("x=3", "3"), ("y = 2x+1", "2x+1"), ("k=\\frac{1}{2}", "0.5"), ("y=2x+1", "2x+1=y"),
        ("x+y=1", "y+x=1"), ("x-y=0", "y-x=0"), ("x>5", "5<x"), ("x \\geq 2", "2 \\le x"), ("x \\ge 2", "x\\geq2"),
        ("1<x<3", "3>x>1"), ("x\\leq 5", "x \\le 5"),
        // percent rule
        ("50\\%", "0.5"), ("50\\%", "50"), ("50%", "50 percent"), ("0.5", "50\\%"), ("12.5\\%", "0.125"),
        // degrees and units
        ("30^\\circ", "30"), ("30", "30^{\\circ}"), ("45°", "45"), ("\\frac{\\pi}{4}", "\\frac{\\pi}{4}"), ("12", "12\\text{ cm}"),
        ("5", "5 \\text{ square units}"), ("25", "25\\text{ cm}^2"), ("\\$10", "10"), ("10", "10 dollars"), ("7", "7 \\mbox{inches}"),
        ("\\text{(A)}", "(A)"), ("\\textbf{(C)}", "\\text{(C)}"), ("\\text{Yes}", "yes"), ("\\frac{3}{2}", "1\\frac{1}{2}"),
        ("[1,2]", "x \\in [1,2]"), ("y=-\\frac{1}{2}x+3", "y = 3 - 0.5x"), ("x^{2}+2x+1", "(x+1)^{2}"),
        // tuples, intervals, sets, unions, lists
        ("(1,2)", "(1, 2)"), ("(0.5, 3)", "(\\frac12, 3)"), ("[1,2)", "[1, 2)"), ("(-\\infty, 2]", "(-\\infty,2]"),
        ("[0,\\frac{1}{2}]", "[0, 0.5]"), ("\\{1,2\\}", "\\{2,1\\}"), ("\\{1,2,3\\}", "\\{3, 1, 2\\}"), ("1,2", "2, 1"),
        ("x=1, x=2", "2, 1"), ("1 \\text{ and } 2", "1, 2"), ("(-\\infty,0)\\cup(1,\\infty)", "(-\\infty, 0) \\cup (1, \\infty)"),
        ("(1,2,3)", "(1.0, 2, 3.00)"),
        // matrices
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"),
        ("\\begin{pmatrix}\\frac12\\\\0\\end{pmatrix}", "\\begin{pmatrix}0.5\\\\0\\end{pmatrix}"),
        ("\\begin{bmatrix}1&0\\\\0&1\\end{bmatrix}", "\\begin{bmatrix}1.0&0\\\\0&1\\end{bmatrix}"),
        // delimiters on either side
        ("$\\frac{1}{2}$", "0.5"), ("\\(3\\)", "3"), ("\\[x^2\\]", "x^2"), ("$$7$$", "\\boxed{7}"),
        ("\\boxed{12}", "12"), ("\\left[ 1, 2 \\right]", "[1,2]"), ("2\\!\\cdot\\!3", "6"), ("2\\;3", "23"),
    ]

    static let different: [(gold: String, pred: String)] = [
        ("5", "6"), ("42", "24"), ("\\frac{1}{2}", "\\frac{1}{3}"), ("0.5", "0.6"), ("3/4", "4/3"), ("-3", "3"),
        ("1000", "100"), ("1,000", "1"), ("1000", "1001"), ("0.5", "0.5001"), ("12", "12.01"), ("-\\frac{2}{3}", "\\frac{2}{3}"),
        ("\\frac{\\sqrt{2}}{2}", "\\sqrt{2}"), ("2\\sqrt{3}", "3\\sqrt{2}"), ("\\pi/2", "1.58"), ("\\pi", "3"), ("e", "2.7"),
        ("2^{10}", "1000"), ("10!", "362880"), ("\\sin(\\pi/6)", "\\frac{\\sqrt{3}}{2}"), ("\\log_2 8", "\\log_2 9"),
        ("2x+1", "2x-1"), ("x^2-1", "(x-1)^2"), ("(a+b)^2", "a^2+b^2"), ("3x", "3y"), ("\\frac{x}{2}", "2x"), ("x", "x+1"),
        ("x=3", "4"), ("y=2x+1", "y=2x-1"), ("x>5", "x<5"), ("x \\geq 2", "x > 2"), ("x\\le 5", "x<5"), ("x=1", "x>1"),
        ("50\\%", "5"), ("50\\%", "0.05"), ("2", "200"), ("0.5", "50"), ("30^\\circ", "31"), ("12", "12\\text{ cm}^2 + 1"),
        ("(1,2)", "(2,1)"), ("[1,2)", "[1,2]"), ("[1,2]", "(1,2)"), ("(1,2]", "(1,2)"), ("(1,2)", "(1,2,3)"),
        ("\\{1,2\\}", "\\{1,3\\}"), ("\\{1,2\\}", "\\{1,2,3\\}"), ("1,2", "1,3"), ("1,2", "1"), ("(1,2)", "1,2"),
        ("(-\\infty,0)\\cup(1,\\infty)", "(-\\infty,0]\\cup(1,\\infty)"),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&3\\\\2&4\\end{pmatrix}"),
        ("\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{pmatrix}1&2&3&4\\end{pmatrix}"),
        ("\\text{(A)}", "(B)"), ("\\text{yes}", "\\text{no}"), ("10^{10^{10}}", "10^{10^{10}}+1"), ("\\infty", "-\\infty"),
        ("1", "\\frac{1}{0}"), ("\\frac{3}{2}", "1\\frac{1}{3}"), ("\\text{yes}", "\\text{yes no}"), ("\\sqrt{-1}", "1"), ("1e-5", "0.0001"), ("3", "x=4"), ("\\frac{1}{3}", "0.33"),
    ]

    @Test(arguments: equivalent)
    func equivalentPairsGradeCorrect(_ pair: (gold: String, pred: String)) {
        let verdict = Grader.grade(gold: pair.gold, prediction: "\\boxed{\(pair.pred)}")
        #expect(verdict.correct, "\(pair.gold) vs \(pair.pred): \(verdict.gold) / \(verdict.pred): \(verdict.reason)")
    }

    @Test(arguments: different)
    func differentPairsGradeIncorrect(_ pair: (gold: String, pred: String)) {
        let verdict = Grader.grade(gold: pair.gold, prediction: "\\boxed{\(pair.pred)}")
        #expect(!verdict.correct, "\(pair.gold) vs \(pair.pred): \(verdict.gold) / \(verdict.pred): \(verdict.reason)")
    }
}
