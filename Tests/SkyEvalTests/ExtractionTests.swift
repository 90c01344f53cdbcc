import SkyEval
import Testing

@Suite struct ExtractionTests {
    func extracted(_ output: String) -> String? { AnswerExtractor.extract(from: output)?.answer }

    @Test func nestedBracesAreMatched() {
        #expect(extracted("so \\boxed{\\frac{1}{\\sqrt{2}}} done") == "\\frac{1}{\\sqrt{2}}")
        #expect(extracted("\\boxed{\\{1, \\{2\\}\\}}") == "\\{1, \\{2\\}\\}")
    }

    @Test func theLastBoxedAnswerWins() {
        #expect(extracted("first \\boxed{1}, then \\boxed{2}, finally \\boxed{3}.") == "3")
        #expect(extracted("\\boxed{1} and \\fbox{4}") == "4")
    }

    @Test func boxedWithoutBracesTakesOneToken() {
        #expect(extracted("Hence $\\boxed 5$.") == "5")
        #expect(extracted("answer: \\boxed 12 apples") == "12")
    }

    @Test func anUnclosedBoxFallsBackToAnEarlierOne() {
        #expect(extracted("\\boxed{7} and then \\boxed{8") == "7")
    }

    @Test func fallsBackToTheAnswerIsPhrase() {
        #expect(extracted("We compute 3 + 4. The answer is 7. Check: 2 steps.") == "7")
        #expect(extracted("So the answer is $\\frac{1}{2}$ and 9 more words") == "\\frac{1}{2}")
    }

    @Test func fallsBackToTheLastMathSpan() {
        #expect(extracted("We get $x = 2$ and then $x^2 = 4$ overall") == "x^2 = 4")
        #expect(extracted("Hence \\(\\frac{3}{4}\\) is it") == "\\frac{3}{4}")
        #expect(extracted("display \\[ 10 \\] end") == "10")
        #expect(extracted("costs \\$5 and $$y+1$$") == "y+1")
    }

    @Test func fallsBackToTheLastNumber() {
        #expect(extracted("I think 3 apples, maybe 1,250.5 in total.") == "1,250.5")
        #expect(extracted("It drops to -4 degrees.") == "-4")
    }

    @Test func noAnswerIsReported() {
        #expect(extracted("I do not know.") == nil)
        let verdict = Grader.grade(gold: "3", prediction: "no idea at all")
        #expect(!verdict.correct)
        #expect(verdict.reason == "no answer found")
        #expect(verdict.extracted == nil)
    }

    @Test func goldAnswersMayCarryBoxesOrDelimiters() {
        #expect(AnswerExtractor.gold("The final answer is \\boxed{\\frac{1}{2}}") == "\\frac{1}{2}")
        #expect(Grader.grade(gold: "$\\frac{1}{2}$", prediction: "\\boxed{0.5}").correct)
        #expect(Grader.grade(gold: "\\(\\frac{1}{2}\\)", prediction: "so the answer is 1/2").correct)
    }

    @Test func verdictReportsNormalisedForms() {
        let verdict = Grader.grade(gold: "\\dfrac{1}{2}", prediction: "Thus \\boxed{x = \\left( 1/2 \\right)}.")
        #expect(verdict.correct)
        #expect(verdict.extracted == "x = \\left( 1/2 \\right)")
        #expect(verdict.gold == "\\frac{1}{2}")
        #expect(verdict.pred == "(1/2)")
        #expect(verdict.reason.hasPrefix("boxed; "))
    }

    @Test func aWholeModelOutputIsGraded() {
        let output = """
        <|begin_of_thought|>

        Let me compute 12 * 3 = 36. Wait, the question asks for half: 18.

        <|end_of_thought|>

        <|begin_of_solution|>

        The result is $\\boxed{18}$.

        <|end_of_solution|>
        """
        #expect(Grader.grade(gold: "18", prediction: output).correct)
        #expect(!Grader.grade(gold: "36", prediction: output).correct)
    }
}
