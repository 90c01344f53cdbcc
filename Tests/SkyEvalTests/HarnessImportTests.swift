import Foundation
import SkyCore
import SkyEval
import Testing

/// Reading other harnesses' per-sample files: each format's fields, and a refusal naming line and field for bad input.
@Suite struct HarnessImportTests {
    func read(_ format: HarnessFormat, _ text: String, metric: String? = nil) throws(HarnessImportError) -> [ImportedProblem] {
        try HarnessImport(format: format, fileName: "f", metric: metric).read(Data(text.utf8))
    }

    func error(_ format: HarnessFormat, _ text: String) -> String {
        do {
            _ = try read(format, text)
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func qwenMathLinesGiveOutputsVerdictsAndExtractedAnswers() throws {
        let problems = try read(.qwenMath, """
            {"idx": 7, "gt": 12, "code": ["a \\\\boxed{12}", "b"], "pred": ["12", ""], "score": [true, false], "level": 3}
            {"idx": "x", "gt": ["1", "2"], "code": ["c", "d"]}
            """)
        #expect(problems.map(\.id) == ["7", "x"] && problems[0].gold == "12" && problems[1].gold == "1, 2")
        #expect(problems[0].level == "3" && problems[0].outputs.map(\.harnessCorrect) == [true, false])
        #expect(problems[0].outputs[0].harnessAnswer == "12" && problems[1].outputs.allSatisfy { $0.harnessCorrect == nil })
    }

    @Test func badQwenMathLinesAreRefusedWithTheirLineAndField() {
        #expect(error(.qwenMath, "{\"idx\": 1, \"gt\": \"1\", \"code\": [\"a\"]}\n{\"idx\": 2, \"gt\": \"1\", \"code\": [\"a\", 3]}")
                == "f:2: field /code/1: expected a string")
        #expect(error(.qwenMath, "{\"idx\": 1, \"gt\": \"1\", \"code\": [\"a\"], \"score\": [true, false]}")
                == "f:1: field /score: has 2 verdicts for 1 outputs")
        #expect(error(.qwenMath, "{\"idx\": 1, \"gt\": \"1\", \"code\": [\"a\"]}\n\n{\"idx\": 1, \"gt\": \"2\", \"code\": [\"b\"]}")
                == "f:3: field /idx: problem id '1' already appeared on line 1")
        #expect(error(.qwenMath, "{\"idx\": 1, \"gt\": \"1\", \"code\": [\"a\"]}\n{\"idx\": 2,") .hasPrefix("f:2: not valid JSON"))
        #expect(error(.qwenMath, "{\"idx\": 1, \"gt\": \"1\", \"code\": [\"a\"]}\n{\"idx\": 2, \"gt\": \"1\", \"code\": [\"a\", \"b\"]}")
                .contains("problem '2' has 2 outputs but problem '1' has 1"))
        #expect(error(.qwenMath, "\n  \n") == "f: no records: the file is empty")
    }

    @Test func skythoughtResultsAreKeyedByProblemWithResponses() throws {
        let problems = try read(.skythought, """
            {"10": {"problem": "p", "answer": "5", "level": 2,
                    "responses": [{"content": "\\\\boxed{5}", "correctness": true}], "token_usages": [{"completion_tokens": 42}]},
             "2": {"problem": "q", "final_answer": ["$3$"], "responses": [{"content": "\\\\boxed{4}", "correctness": false}]}}
            """)
        #expect(problems.map(\.id) == ["2", "10"] && problems[1].gold == "5" && problems[0].gold == "$3$")
        #expect(problems[1].outputs[0].outputTokens == 42 && problems[0].outputs[0].harnessCorrect == false)
        #expect(error(.skythought, "{\"a\": {\"answer\": \"1\", \"responses\": [{\"text\": \"x\"}]}}")
                == "f: field /a/responses/0/content: expected a string")
        #expect(error(.skythought, "{\"a/b\": {\"responses\": []}}").hasPrefix("f: field /a~1b: no gold answer"))
    }

    @Test func lmEvalSamplesKeepThePerSampleMetricOnlyForOneOutput() throws {
        let problems = try read(.lmEval, """
            {"doc_id": 0, "doc": {"level": "Level 5"}, "target": "7", "resps": [["The answer is 7"]], "filtered_resps": ["7"], "exact_match": 1.0}
            {"doc_id": 1, "doc": {}, "target": "2", "resps": [["x", "y"]], "filtered_resps": ["x"], "exact_match": 0.0}
            """.replacingOccurrences(of: "[[\"x\", \"y\"]]", with: "[[\"x\"]]"))
        #expect(problems[0].level == "Level 5" && problems[0].outputs[0].harnessCorrect == true && problems[0].outputs[0].harnessAnswer == "7")
        #expect(problems[1].outputs[0].harnessCorrect == false)
        let voted = try read(.lmEval, "{\"doc_id\": 0, \"target\": \"2\", \"resps\": [[\"a\", \"b\"]], \"exact_match\": 1}")
        #expect(voted[0].outputs.count == 2 && voted[0].outputs.allSatisfy { $0.harnessCorrect == nil })
        #expect((try? read(.lmEval, "{\"doc_id\": 0, \"target\": \"2\", \"resps\": [[\"a\"]]}", metric: "acc_norm")) == nil)
        #expect(error(.lmEval, "{\"doc_id\": 0, \"target\": \"2\", \"resps\": [[\"a\"]], \"exact_match\": \"yes\"}")
                == "f:1: field /exact_match: expected a number or a boolean")
    }
}
