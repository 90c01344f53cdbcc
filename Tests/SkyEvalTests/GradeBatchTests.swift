import Foundation
import SkyEval
import Testing

@Suite struct GradeBatchTests {
    @Test func gradesOneVerdictPerLine() throws {
        let input = """
        {"gold": "\\\\frac{1}{2}", "pred": "so \\\\boxed{0.5}"}
        {"gold": 204, "pred": "The answer is 205."}

        {"answer": "x>5", "prediction": "$5<x$"}
        """
        let lines = GradeBatch.grade(jsonl: input)
        #expect(lines.count == 3)
        let decoded = try lines.map { try JSONDecoder().decode(GradeBatch.Line.self, from: Data($0.utf8)) }
        #expect(decoded.map(\.correct) == [true, false, true])
        #expect(decoded[0].gold == "\\frac{1}{2}")
        #expect(decoded[0].pred == "0.5")
        #expect(decoded[1].gold == "204")
        #expect(decoded[1].pred == "205")
        #expect(lines[0].hasPrefix("{\"correct\":true,\"gold\":"))
    }

    @Test func malformedLinesGetAnIncorrectVerdict() {
        let bad = GradeBatch.grade(line: "not json")
        #expect(bad?.correct == false)
        #expect(bad?.reason == "line is not a JSON object")
        #expect(GradeBatch.grade(line: "{\"pred\": \"1\"}")?.reason.contains("gold") == true)
        #expect(GradeBatch.grade(line: "{\"gold\": \"1\"}")?.reason.contains("pred") == true)
        #expect(GradeBatch.grade(line: "   ") == nil)
    }
}
