import SkyEval
import Testing

@Suite struct NormalizationTests {
    static let forms: [(input: String, normalized: String)] = [
        ("\\dfrac{1}{2}", "\\frac{1}{2}"), ("\\tfrac34", "\\frac{3}{4}"), ("3/4", "\\frac{3}{4}"), ("-3/4", "-\\frac{3}{4}"),
        ("\\left( 1, 2 \\right]", "(1,2]"), ("12\\text{ cm}", "12"), ("\\text{(B)}", "(B)"), ("30^\\circ", "30"), ("45°", "45"),
        ("1,000,000", "1000000"), ("1{,}000", "1000"), ("12.00", "12"), ("0.50", "0.5"), (".5", "0.5"), ("x = 7", "7"),
        ("y_1=2", "2"), ("\\theta = \\pi", "\\pi"), ("f(x) = 2", "f(x)=2"), ("2\\!\\cdot\\!3", "2\\cdot3"), ("1,2", "1,2"),
        ("$\\sqrt2$", "\\sqrt{2}"), ("\\(x\\le 3\\)", "x\\le3"), ("\\pi r^2", "\\pi r^2"), ("a + m", "a+m"), ("\\$5", "5"),
        ("1.2.3", "1.2.3"),
    ]

    @Test(arguments: forms)
    func normalisedForm(_ form: (input: String, normalized: String)) {
        #expect(AnswerNormalizer.normalize(form.input).text == form.normalized)
    }

    @Test func percentIsRemembered() {
        #expect(AnswerNormalizer.normalize("50\\%").hadPercent)
        #expect(AnswerNormalizer.normalize("50 percent") == NormalizedAnswer(text: "50", hadPercent: true))
        #expect(!AnswerNormalizer.normalize("50").hadPercent)
    }
}
