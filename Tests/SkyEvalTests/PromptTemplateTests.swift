import Foundation
import SkyEval
import SkyModel
import Testing

@Suite struct PromptTemplateTests {
    let math = BenchmarkProblem(id: "1", problem: "What is $1+1$?", answer: "2")
    let stdinCode = BenchmarkProblem(id: "c", problem: "Print the sum.", tests: .stdio([StdioTest(input: "1 2", output: "3")]))
    let starterCode = BenchmarkProblem(id: "s", problem: "Two sum.", tests: .functional(name: "f", tests: []),
                                       starterCode: "class Solution:\n    def f(self):\n        ")

    @Test func skyT1UsesTheSystemPromptAndBoxedInstruction() throws {
        let messages = try PromptTemplate.skyT1.messages(for: math)
        #expect(messages == [.system(SkyT1.systemPrompt), .user("Return your final response within \\boxed{}. What is $1+1$?")])
    }

    @Test func plainIsTheProblemAlone() throws {
        #expect(try PromptTemplate.plain.messages(for: math) == [.user("What is $1+1$?")])
    }

    @Test func codeProblemsGetLiveCodeBenchInstructions() throws {
        let stdin = try PromptTemplate.skyT1.messages(for: stdinCode)
        #expect(stdin[0] == .system(SkyT1.systemPrompt))
        #expect(stdin[1].content.contains("Question: Print the sum."))
        #expect(stdin[1].content.contains("Read the inputs from stdin"))
        #expect(stdin[1].content.hasSuffix("```python\n# YOUR CODE HERE\n```\n"))
        let starter = try PromptTemplate.plain.messages(for: starterCode)
        #expect(starter.count == 1)
        #expect(starter[0].content.contains("use the following starter code"))
        #expect(starter[0].content.contains("```python\nclass Solution:"))
    }

    @Test func customTemplatesFillPlaceholdersAndEscapedBraces() throws {
        let template = PromptTemplate.custom(system: "Be brief.", user: "Solve {problem} and box it: \\boxed{{}}")
        #expect(try template.messages(for: math) == [.system("Be brief."), .user("Solve What is $1+1$? and box it: \\boxed{}")])
        let code = PromptTemplate.custom(system: nil, user: "{problem}\n{starter_code}")
        #expect(try code.messages(for: starterCode)[0].content == "Two sum.\nclass Solution:\n    def f(self):\n        ")
        #expect(throws: PromptTemplateError.noStarterCode(problemId: "1")) { try code.messages(for: math) }
    }

    @Test func unknownPlaceholdersAndNamesAreErrors() {
        #expect(throws: PromptTemplateError.unknownPlaceholder("problme", offset: 6)) {
            try PromptTemplate.custom(system: nil, user: "Solve {problme}").validate()
        }
        #expect(throws: PromptTemplateError.unknownName("chatml")) { try PromptTemplate(name: "chatml") }
        #expect(PromptTemplateError.unknownPlaceholder("x", offset: 0).description.contains("{problem}"))
    }

    @Test func templatesRoundTripThroughJobSpecJSON() throws {
        let decoder = JSONDecoder()
        #expect(try decoder.decode(PromptTemplate.self, from: Data(#""sky-t1""#.utf8)) == .skyT1)
        #expect(try decoder.decode(PromptTemplate.self, from: Data(#"{"name": "plain"}"#.utf8)) == .plain)
        let custom = try decoder.decode(PromptTemplate.self, from: Data(#"{"system": "S", "user": "U {problem}"}"#.utf8))
        #expect(custom == .custom(system: "S", user: "U {problem}"))
        #expect(try decoder.decode(PromptTemplate.self, from: JSONEncoder().encode(custom)) == custom)
        #expect(throws: (any Error).self) { try decoder.decode(PromptTemplate.self, from: Data(#"{"user": "U {oops}"}"#.utf8)) }
        #expect(throws: PromptTemplateError.missingUser) { try PromptTemplateSpec(name: "custom").template() }
    }
}
