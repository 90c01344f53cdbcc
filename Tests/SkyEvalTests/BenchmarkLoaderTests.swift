import Foundation
import SkyCore
import SkyEval
import Testing

@Suite struct BenchmarkLoaderTests {
    @Test func loadsSkyMathAndHashesTheFileBytes() throws {
        let url = EvalFixtures.benchmark("sky_math.jsonl")
        let benchmark = try BenchmarkLoader.load(fileAt: url)
        #expect(benchmark.name == "sky_math")
        #expect(benchmark.kind == .math)
        #expect(benchmark.problems.map(\.id) == ["m1", "m2", "3"])
        #expect(benchmark.problems.map(\.answer) == ["56", "\\frac{3}{4}", "8"])
        #expect(benchmark.problems[0].level == "1")
        #expect(benchmark.problems[0].subject == "arithmetic")
        #expect(benchmark.sha256 == SHA256Hasher.hex(try Data(contentsOf: url)))
    }

    @Test func loadsSkyCodeWithStdioAndFunctionalTests() throws {
        let benchmark = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("sky_code.jsonl"))
        #expect(benchmark.kind == .code)
        #expect(benchmark.problems[0].tests == .stdio([StdioTest(input: "1 2\n", output: "3\n"), StdioTest(input: "-5 5\n", output: "0\n")]))
        #expect(benchmark.problems[0].timeLimit == 2)
        #expect(benchmark.problems[1].tests == .functional(name: "twice", tests: [
            FunctionalTest(args: [.number(3)], expected: .number(6)), FunctionalTest(args: [.number(-1)], expected: .number(-2)),
        ]))
        #expect(benchmark.problems[1].starterCode?.hasPrefix("class Solution:") == true)
    }

    @Test func detectsBothAIMELayouts() throws {
        let aimo = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("aimo_aime.jsonl"))
        #expect(aimo.problems.map(\.id) == ["60", "61"])
        #expect(aimo.problems.map(\.answer) == ["204", "113"])
        let maxwell = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("maxwell_aime.jsonl"))
        #expect(maxwell.problems.map(\.id) == ["2024-I-1", "2024-I-2"])
        #expect(maxwell.problems.map(\.answer) == ["204", "25"])
        #expect(BenchmarkFormat.detect(fields: ["id", "problem", "solution", "answer", "url"]) == .aime2024)
    }

    @Test func amcFloatAnswersBecomeIntegers() throws {
        let amc = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("aimo_amc.jsonl"))
        #expect(BenchmarkFormat.detect(fields: ["id", "problem", "answer", "url"]) == .amc2023)
        #expect(amc.problems.map(\.answer) == ["2", "8", "27"])
        #expect(amc.problems.map(\.id) == ["0", "1", "2"])
    }

    @Test func math500KeepsLevelAndSubject() throws {
        let math = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("math500.jsonl"))
        #expect(math.problems[0].id == "test/precalculus/807.json")
        #expect(math.problems[0].answer == "\\left( 3, \\frac{\\pi}{2} \\right)")
        #expect(math.problems.map(\.level) == ["2", "1", "1"])
        #expect(math.problems[1].subject == "Algebra")
    }

    @Test func olympiadBenchJoinsSeveralAnswersAsASet() throws {
        let olympiad = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("olympiadbench.jsonl"))
        #expect(olympiad.problems.map(\.answer) == ["2", "(6,3),(9,3),(9,5),(54,5)", "\\{2, 3\\}"])
        #expect(olympiad.problems[0].subject == "Combinatorics")
        let tuple = """
        {"id": 9, "question": "Find a and b.", "final_answer": ["$1$", "$2$"], "is_multiple_answer": false}
        """
        let problem = try BenchmarkLoader.load(data: Data(tuple.utf8), name: "t").problems[0]
        #expect(problem.answer == "(1, 2)")
        #expect(Grader.grade(gold: olympiad.problems[2].answer!, prediction: "\\boxed{\\{3, 2\\}}").correct)
    }

    @Test func liveCodeBenchDecodesJSONStringTestsAndFunctionalArguments() throws {
        let lcb = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("livecodebench.jsonl"))
        #expect(lcb.kind == .code)
        #expect(lcb.problems[0].id == "abc999_a")
        #expect(lcb.problems[0].level == "easy")
        #expect(lcb.problems[0].starterCode == nil)
        #expect(lcb.problems[0].tests?.count == 3)
        #expect(lcb.problems[1].tests == .functional(name: "twoSum", tests: [
            FunctionalTest(arguments: "[[2, 7, 11, 15], 9]", expected: "[0, 1]"),
            FunctionalTest(arguments: "[[3, 2, 4], 6]", expected: "[1, 2]"),
        ]))
        guard case .functional(_, let tests)? = lcb.problems[1].tests else { Issue.record("not functional"); return }
        let nums: JSONValue = .array([2, 7, 11, 15].map { JSONValue.number($0) })
        #expect(tests[0].argumentValues == [nums, JSONValue.number(9)])
    }

    @Test func compressedLiveCodeBenchTestsFailWithTheWayOut() {
        #expect(throws: BenchmarkError.self) { try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("livecodebench_compressed.jsonl")) }
        do {
            _ = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("livecodebench_compressed.jsonl"))
        } catch {
            #expect(error.line == 1)
            #expect(error.field == "private_test_cases")
            #expect(error.description.contains("lcb_decompress.py"))
            #expect(error.description.contains("livecodebench_compressed.jsonl:line 1"))
        }
    }

    @Test func errorsNameTheLineAndField() {
        let good = #"{"id": "a", "problem": "p", "answer": "1"}"#
        let missing = EvalFixtures.loadError(good + "\n\n" + #"{"id": "b", "problem": "p"}"#, format: .sky)
        #expect(missing?.line == 3)
        #expect(missing?.field == "answer")
        let wrongType = EvalFixtures.loadError(good + "\n" + #"{"id": "b", "problem": 5, "answer": "1"}"#)
        #expect(wrongType?.line == 2)
        #expect(wrongType?.field == "problem")
        #expect(wrongType?.message == "expected a string, found a number")
        let broken = EvalFixtures.loadError(good + "\n{\"id\": ")
        #expect(broken?.line == 2)
        #expect(broken?.message.hasPrefix("not valid JSON") == true)
        #expect(EvalFixtures.loadError(#"{"foo": 1}"#)?.message.contains("cannot tell the layout") == true)
        #expect(EvalFixtures.loadError("")?.message.contains("no problems") == true)
        let badTests = EvalFixtures.loadError(#"{"id": "a", "problem": "p", "tests": [{"input": 1}]}"#)
        #expect(badTests?.field == "tests")
    }

    @Test func rejectsDuplicateIdsAndMixedKinds() {
        let duplicate = EvalFixtures.loadError("""
        {"id": "a", "problem": "p", "answer": "1"}
        {"id": "b", "problem": "p", "answer": "1"}
        {"id": "a", "problem": "q", "answer": "2"}
        """)
        #expect(duplicate?.line == 3)
        #expect(duplicate?.message == "duplicate id 'a' (first on line 1)")
        let mixed = EvalFixtures.loadError("""
        {"id": "a", "problem": "p", "answer": "1"}
        {"id": "b", "problem": "p", "tests": [{"input": "", "output": "1"}]}
        """)
        #expect(mixed?.line == 2)
        #expect(mixed?.message.contains("one kind") == true)
    }

    @Test func streamsAFileAcrossReadChunks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("big.jsonl")
        let padding = String(repeating: "x", count: 1_000)
        var text = ""
        // 1.2 MB: lines straddle the loader's 1 MiB read boundary.
        for index in 0..<1_200 { text += #"{"id": "p\#(index)", "problem": "\#(padding) \#(index)", "answer": "\#(index)"}"# + "\n" }
        try Data(text.utf8).write(to: url)
        let benchmark = try BenchmarkLoader.load(fileAt: url, format: .sky)
        #expect(benchmark.problems.count == 1_200)
        #expect(benchmark.problems.last?.answer == "1199")
        #expect(benchmark.sha256 == SHA256Hasher.hex(Array(text.utf8)))
    }

    @Test func formatNamesParse() {
        #expect(BenchmarkFormat(name: "MATH-500") == .math500)
        #expect(BenchmarkFormat(name: "lcb") == .livecodebench)
        #expect(BenchmarkFormat(name: "aime24") == .aime2024)
        #expect(BenchmarkFormat(name: "gsm8k") == nil)
    }
}

@Suite(.enabled(if: pythonAvailable, "python3 is not installed")) struct LiveCodeBenchDecompressTests {
    @Test func decompressScriptMakesReleaseFilesLoadable() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = repository.appendingPathComponent("scripts/fixtures/lcb_decompress.py")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sky-lcb-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try CodeSandbox().python)
        process.arguments = [script.path, EvalFixtures.benchmark("livecodebench_compressed.jsonl").path, output.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let benchmark = try BenchmarkLoader.load(fileAt: output)
        let plain = try BenchmarkLoader.load(fileAt: EvalFixtures.benchmark("livecodebench.jsonl"))
        #expect(benchmark.problems == [plain.problems[0]])
    }
}
