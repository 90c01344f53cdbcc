import Foundation
import SkyData
import Testing

/// Corrupted digits follow the paper's regex `\b\d+(\.\d+)?\b`, checked against Python's own `re` on the same text.
@Suite struct PaperNumberPatternTests {
    private func matched(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return PaperNumberPattern.matches(in: text).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func numbersGluedToAFollowingLetterLoseTheirDecimalPartAsInTheRegex() {
        #expect(matched("(12.6L^7 - 4.2L)/10") == ["12", "7", "4", "10"])
        #expect(matched("x2 + 3.5 = {12} and 2x, v1.2.3, -7 × 40") == ["3.5", "12", "2.3", "7", "40"])
        #expect(matched("1.2.3 and 1.5x and 0.25.") == ["1.2", "3", "1", "0.25"])
        #expect(matched("a_1 + 1_a + 12abc + abc12 + 3") == ["3"])
    }

    @Test func unicodeDigitsAndLettersCountAsPythonsBackslashDAndBackslashW() {
        #expect(matched("é2 ×2 ٣٤ 5² x²3 Ⅻ7 7½") == ["2", "٣٤"])
    }

    @Test func atRatioOneEveryMatchIsReplacedIncludingTheIntegerPartOfAGluedDecimal() throws {
        var record = DatasetRecord(messages: [Message(role: .assistant, content: "(12.6L^7 - 4.2L)/10")])
        var rng = SplitMix64(seed: 3)
        let effect = CorruptDigits(ratio: 1).apply(to: &record, index: 0, rng: &rng)
        #expect(effect.counters["numbersSeen"] == 4)
        #expect(effect.counters["numbersReplaced"] == 4)
        // The glued decimal parts and letters stay; the four matches became integers 0–10.
        let response = try #require(record.response)
        let match = try #require(try Regex("^\\((\\d+)\\.6L\\^(\\d+) - (\\d+)\\.2L\\)/(\\d+)$").wholeMatch(in: response))
        for index in 1...4 {
            let value = try #require(match.output[index].substring.flatMap { Int($0) })
            #expect((0...10).contains(value))
        }
    }

    /// 2,000 random strings over an alphabet of the hard cases: Python's `re.finditer` and Sky give the same spans.
    @Test func matchesAgreeWithPythonsReOnRandomText() throws {
        let alphabet = Array("0123456789012345.....  xLe_^{}-,/()é×٣٤²½Ⅻ\n")
        var rng = SplitMix64(seed: 42)
        var texts = ["", "7", "7.", ".7", "1.2.3", "12.6L", "v1.2.3", "٣.٤", "3.٤x"]
        for _ in 0..<2000 {
            let length = rng.int(in: 1...24)
            texts.append(String((0..<length).map { _ in alphabet[rng.int(in: 0...(alphabet.count - 1))] }))
        }
        let python = """
        import json, re, sys
        pattern = re.compile(r"\\b\\d+(\\.\\d+)?\\b")
        for line in sys.stdin:
            text = json.loads(line)
            spans = [[len(text[:m.start()].encode()), len(text[:m.end()].encode())] for m in pattern.finditer(text)]
            print(json.dumps(spans))
        """
        let input = try texts.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }.joined(separator: "\n") + "\n"
        let output = try runPython(python, input: input)
        let expected = try output.split(separator: "\n").map { try JSONDecoder().decode([[Int]].self, from: Data($0.utf8)) }
        try #require(expected.count == texts.count, "python3 printed \(expected.count) lines for \(texts.count) texts")
        var disagreements: [String] = []
        for (text, spans) in zip(texts, expected) {
            let ours = PaperNumberPattern.matches(in: text).map { [$0.lowerBound, $0.upperBound] }
            if ours != spans { disagreements.append("\(text.debugDescription): Sky \(ours), Python \(spans)") }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) texts differ, e.g. \(disagreements.prefix(5))")
    }

    private func runPython(_ program: String, input: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", program]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // Written on another thread: the 2,000 lines back can fill the pipe before the input is all sent.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 (installed by scripts/setup.sh) failed")
        return String(decoding: data, as: UTF8.self)
    }
}
