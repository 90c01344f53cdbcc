import SkyCore
import SkyEval
import Testing

@Suite struct CodeExtractionTests {
    @Test func takesTheLastCompleteFencedBlock() {
        let output = """
        First try:
        ```python
        print(1)
        ```
        Wait, that is wrong.
        ```
        print(2)
        ```
        And a cut-off third:
        ```python
        print(3
        """
        #expect(CodeExtractor.lastCodeBlock(in: output) == "print(2)")
    }

    @Test func skipsBlocksInOtherLanguagesAndKeepsIndentation() {
        let output = "```py\ndef f():\n    return 1\n```\n```text\nnot code\n```"
        #expect(CodeExtractor.lastCodeBlock(in: output) == "def f():\n    return 1")
        #expect(CodeExtractor.lastCodeBlock(in: "no code here") == nil)
    }

    @Test func stdoutComparisonNormalisesWhitespaceAndToleratesFloats() {
        #expect(OutputComparison.stdoutMatches(expected: "1 2\n3\n", actual: "1 2   \n3\n\n\n"))
        #expect(OutputComparison.stdoutMatches(expected: "1 2\n3", actual: "1\n2 3"))
        #expect(OutputComparison.stdoutMatches(expected: "0.3333333", actual: "0.33333333333"))
        #expect(!OutputComparison.stdoutMatches(expected: "0.333", actual: "0.334"))
        #expect(!OutputComparison.stdoutMatches(expected: "YES", actual: "yes"))
        #expect(!OutputComparison.stdoutMatches(expected: "1 2", actual: "1 2 3"))
    }
}
