import Foundation
import SkyCore

/// livecodebench/code_generation_lite. `public_test_cases` and `private_test_cases` are JSON *strings* holding
/// `[{input, output, testtype: "stdin" | "functional"}]`; `metadata` is a JSON string with `func_name` for functional
/// problems, whose test input is one JSON value per line (the arguments) and output one JSON value.
///
/// The released files store `private_test_cases` as base64(zlib(pickle(json))). Sky does not run a pickle interpreter,
/// so such records are rejected with a message saying so; convert them once to the JSON form
/// (`scripts/fixtures/lcb_decompress.py`) or load with public tests only.
enum LiveCodeBenchLayout {
    struct Case: Decodable {
        var input: String
        var output: String
        var testtype: String
    }

    static func problem(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        let id = try record.text("question_id")
        let content = try record.string("question_content")
        var cases = try testCases(record, field: "public_test_cases")
        cases += try testCases(record, field: "private_test_cases")
        guard !cases.isEmpty else { throw record.error("public_test_cases", "no tests in public_test_cases or private_test_cases") }
        let types = Set(cases.map(\.testtype))
        guard types.count == 1, let type = types.first else {
            throw record.error("public_test_cases", "mixes test types \(types.sorted()); a problem is all stdin or all functional")
        }
        let tests: CodeTests
        switch type {
        case "stdin":
            tests = .stdio(cases.map { StdioTest(input: $0.input, output: $0.output) })
        case "functional":
            let name = try functionName(record)
            var functional: [FunctionalTest] = []
            for (index, test) in cases.enumerated() {
                functional.append(try functionalTest(test, index: index, record: record))
            }
            tests = .functional(name: name, tests: functional)
        default:
            throw record.error("public_test_cases", "unknown testtype '\(type)' (expected stdin or functional)")
        }
        let starter = try record.optionalString("starter_code")
        return BenchmarkProblem(id: id, problem: content, level: try record.optionalText("difficulty"),
                                subject: try record.optionalString("platform"), tests: tests,
                                starterCode: starter?.trimmingASCIIWhitespace().isEmpty == true ? nil : starter)
    }

    static func testCases(_ record: BenchmarkRecord, field: String) throws(BenchmarkError) -> [Case] {
        let value = record.fields[field]
        if value == nil || value == .null { return [] }
        if case .array = value! {
            return try decodeCases(value!.encoded(), record: record, field: field)
        }
        guard let text = value?.stringValue else { throw record.error(field, "expected a JSON string of test cases") }
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.isEmpty { return [] }
        if trimmed.hasPrefix("[") { return try decodeCases(Data(trimmed.utf8), record: record, field: field) }
        if let bytes = Data(base64Encoded: trimmed), bytes.first == 0x78 {
            throw record.error(field, "is compressed (base64 of zlib of a pickle, as in LiveCodeBench's release files); "
                + "Sky does not unpickle: convert the file with scripts/fixtures/lcb_decompress.py")
        }
        throw record.error(field, "expected a JSON list of test cases or LiveCodeBench's compressed form")
    }

    static func decodeCases(_ data: Data, record: BenchmarkRecord, field: String) throws(BenchmarkError) -> [Case] {
        do {
            return try JSONDecoder().decode([Case].self, from: data)
        } catch {
            throw record.error(field, "expected [{\"input\", \"output\", \"testtype\"}] (\(BenchmarkRecord.describe(error)))")
        }
    }

    static func functionName(_ record: BenchmarkRecord) throws(BenchmarkError) -> String {
        guard let text = try record.optionalString("metadata"),
              let metadata = try? JSONValue.parse(Data(text.utf8)) else {
            throw record.error("metadata", "functional tests need metadata, a JSON string with func_name")
        }
        guard let name = metadata["func_name"]?.stringValue, !name.isEmpty else {
            throw record.error("metadata", "has no func_name")
        }
        return name
    }

    static func functionalTest(_ test: Case, index: Int, record: BenchmarkRecord) throws(BenchmarkError) -> FunctionalTest {
        // Parsed only to validate: the texts are kept so big integers stay exact.
        var args: [String] = []
        for (lineIndex, line) in test.input.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard (try? JSONValue.parse(Data(line.utf8))) != nil else {
                throw record.error("public_test_cases", "test \(index + 1): argument line \(lineIndex + 1) is not JSON: \(line.prefix(80))")
            }
            args.append(String(line))
        }
        guard (try? JSONValue.parse(Data(test.output.utf8))) != nil else {
            throw record.error("public_test_cases", "test \(index + 1): output is not JSON: \(test.output.prefix(80))")
        }
        return FunctionalTest(arguments: "[" + args.joined(separator: ", ") + "]", expected: test.output.trimmingASCIIWhitespace())
    }
}
