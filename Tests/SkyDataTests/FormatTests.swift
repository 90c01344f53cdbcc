import Foundation
import SkyCore
import SkyData
import Testing

@Suite struct FormatTests {
    let records = RandomTraces.records(seed: 3, count: 40)

    private func write(_ records: [DatasetRecord], format: DatasetFormat, layout: DatasetLayout) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sky-\(UUID().uuidString).\(layout == .jsonList ? "json" : "jsonl")")
        var writer = try DatasetWriter(url: url, format: format, layout: layout)
        for record in records { try writer.write(record) }
        _ = try writer.finish()
        return url
    }

    @Test(arguments: [DatasetFormat.sharegpt, .messages, .promptCompletion], [DatasetLayout.jsonl, .jsonList])
    func everyFormatRoundTripsThroughAFile(format: DatasetFormat, layout: DatasetLayout) throws {
        var tagged = records
        tagged[0].extra["correct"] = .bool(true)
        let url = try write(tagged, format: format, layout: layout)
        defer { try? FileManager.default.removeItem(at: url) }
        var reader = try DatasetReader(url: url)
        #expect(try reader.readAll() == tagged)
    }

    @Test func conversionBetweenFormatsKeepsTheConversation() throws {
        for record in records {
            let messages = try RecordCoding.decode(Data(RecordCoding.encode(record, as: .messages)), format: nil)
            let sharegpt = try RecordCoding.decode(Data(RecordCoding.encode(messages, as: .sharegpt)), format: .sharegpt)
            let completion = try RecordCoding.decode(Data(RecordCoding.encode(sharegpt, as: .promptCompletion)), format: nil)
            #expect(completion == record)
        }
    }

    @Test func skyT1RecordDecodesWithHumanAndGptRoles() throws {
        let json = #"{"system":"S","conversations":[{"from":"human","value":"P"},{"from":"gpt","value":"R"}]}"#
        let record = try RecordCoding.decode(Data(json.utf8), format: nil)
        #expect(record.system == "S" && record.question == "P" && record.response == "R")
        #expect(String(decoding: RecordCoding.encode(record, as: .sharegpt), as: UTF8.self)
            == #"{"conversations":[{"from":"user","value":"P"},{"from":"assistant","value":"R"}],"system":"S"}"#)
    }

    @Test func scannerHandlesRecordsSplitAcrossTinyChunks() throws {
        let text = "[\n" + records.prefix(5).map { String(decoding: RecordCoding.encode($0, as: .sharegpt), as: UTF8.self) }
            .joined(separator: " ,\n  ") + "\n]\n"
        for chunk in [1, 7, 64] {
            var scanner = JSONRecordScanner(data: Data(text.utf8), chunkSize: chunk)
            var lines: [Int] = []
            while let scanned = try scanner.next() {
                #expect(try RecordCoding.decode(scanned.bytes, format: nil) == records[scanned.index])
                lines.append(scanned.line)
            }
            #expect(lines == [2, 3, 4, 5, 6])
        }
    }

    @Test func malformedRecordIsReportedWithIndexLineAndField() {
        let text = """
        {"conversations":[{"from":"user","value":"q"},{"from":"assistant","value":"a"}]}

        {"conversations":[{"from":"user","value":"q"},{"from":"assistant","value":7}]}
        """
        var reader = DatasetReader(data: Data(text.utf8))
        #expect { try reader.readAll() } throws: { error in
            let error = error as? DatasetError
            return error?.index == 1 && error?.line == 3 && error?.field == "/conversations/1/value"
                && error?.description == "record 1, line 3, field /conversations/1/value: expected a string"
        }
    }

    @Test func brokenJSONInAListIsLocated() {
        let text = "[\n{\"messages\": []},\n{\"messages\": [{\"role\": \"user\", \"content\": \"q\"}, {\"role\": \"assistant\", \"content\": \"a\"}]}\n{\"x\": 1}\n]"
        var reader = DatasetReader(data: Data(text.utf8))
        #expect { try reader.readAll() } throws: { error in
            let error = error as? DatasetError
            return error?.index == 0 && error?.line == 2 && error?.message == "no assistant turn"
        }
        var skipping = DatasetReader(data: Data(text.utf8), skipInvalid: true)
        #expect { try skipping.readAll() } throws: { error in
            (error as? DatasetError)?.message.hasPrefix("expected ',' or ']'") == true && (error as? DatasetError)?.line == 4
        }
    }

    @Test func skipInvalidKeepsGoingAndCounts() throws {
        let good = #"{"prompt":"p","completion":"c"}"#
        let text = [good, "{not json", #"{"prompt":"p"}"#, #"{"messages":[{"role":"robot","content":"x"}]}"#, good].joined(separator: "\n")
        var reader = DatasetReader(data: Data(text.utf8), skipInvalid: true)
        #expect(try reader.readAll().count == 2)
        #expect(reader.invalidCount == 3)
        #expect(reader.invalidRecords.map(\.line) == [2, 3, 4])
        #expect(reader.invalidRecords.map(\.field) == [nil, "/completion", "/messages/0/role"])
    }

    @Test func traceRendersBackExactlyAndFindsSections() {
        let text = "pre<|begin_of_thought|>\n\nA\n\nB\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\nS \\boxed{1}\n\n<|end_of_solution|>post"
        let trace = ReasoningTrace(parsing: text)
        #expect(trace.rendered == text)
        #expect(trace.thought == "\n\nA\n\nB\n\n" && trace.solution == "\n\nS \\boxed{1}\n\n")
        let plain = ReasoningTrace(parsing: "no markers here")
        #expect(!plain.hasThoughtMarkers && plain.solution == nil && plain.rendered == "no markers here")
        let unclosed = "<|begin_of_thought|>\n\nonly thinking"
        #expect(ReasoningTrace(parsing: unclosed).rendered == unclosed)
    }

    @Test func jsonlToleratesCRLFAndBlankLinesAndListsMayBeEmpty() throws {
        let line = #"{"prompt":"p","completion":"c"}"#
        var reader = DatasetReader(data: Data("\r\n\(line)\r\n\r\n\(line)".utf8))
        var lines: [Int] = []
        while let entry = try reader.next() { lines.append(entry.line) }
        #expect(lines == [2, 4])
        var empty = DatasetReader(data: Data(" [ ]\n".utf8))
        #expect(try empty.readAll().isEmpty)
        var nothing = DatasetReader(data: Data())
        #expect(try nothing.readAll().isEmpty)
        var bom = DatasetReader(data: Data([0xEF, 0xBB, 0xBF]) + Data("[\(line)]".utf8))
        #expect(try bom.readAll().count == 1)
    }

    @Test func unterminatedListIsAnError() {
        var reader = DatasetReader(data: Data(#"[{"prompt":"p","completion":"c"}, {"prompt":"#.utf8))
        #expect { try reader.readAll() } throws: { error in
            (error as? DatasetError)?.index == 1 && (error as? DatasetError)?.message.contains("not terminated") == true
        }
    }
}
