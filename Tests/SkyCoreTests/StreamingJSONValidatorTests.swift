import SkyCore
import Testing

@Suite struct StreamingJSONValidatorTests {
    /// Feeds `text` in chunks of `size` bytes, so records straddle chunk boundaries.
    func check(_ text: String, _ layout: StreamingJSONValidator.Layout, chunk size: Int = 3) -> (records: Int, failure: JSONSyntax.Failure?) {
        var validator = StreamingJSONValidator(layout: layout)
        let bytes = Array(text.utf8)
        do {
            for start in stride(from: 0, to: bytes.count, by: size) { try validator.push(bytes[start..<min(start + size, bytes.count)]) }
            try validator.finish()
            return (validator.records, nil)
        } catch {
            return (validator.records, error)
        }
    }

    @Test func acceptsValidDatasetsInAnyChunking() {
        let lines = "{\"a\": 1}\n{\"b\": \"x\\\"y\\n\"}\n\n[1, 2]\n"
        let list = "[\n  {\"a\": [1, {\"b\": \"]\"}]},\n  {\"c\": null}\n]\n"
        for size in [1, 2, 7, 1000] {
            #expect(check(lines, .jsonLines, chunk: size).failure == nil)
            #expect(check(lines, .jsonLines, chunk: size).records == 3)
            #expect(check(list, .document, chunk: size).failure == nil)
            #expect(check(list, .document, chunk: size).records == 2)
        }
        #expect(check("{\"whole\": {\"object\": true}}", .document).failure == nil)
        #expect(check("[]", .document).failure == nil)
    }

    @Test func locatesErrorsByLineColumnAndByte() throws {
        let lines = "{\"a\": 1}\n{\"b\": tru}\n"
        let bad = try #require(check(lines, .jsonLines).failure)
        #expect(bad.line == 2)
        #expect(bad.column == 10, "the column of the offending byte")
        #expect(bad.offset == 18)
        #expect(bad.message.contains("record 2"))

        let list = "[\n  {\"a\": 1},\n  {\"b\": 2,}\n]"
        let inList = try #require(check(list, .document).failure)
        #expect(inList.line == 3)
        #expect(inList.message.contains("element 1"))
        #expect(Array(list.utf8)[inList.offset] == UInt8(ascii: "}"), "the offset points at the offending byte")

        #expect(check("[{\"a\": 1},]", .document).failure != nil)
        #expect(check("[{\"a\": 1}", .document).failure?.message.contains("end of input") == true)
        #expect(check("[1] x", .document).failure != nil)
        #expect(check("", .jsonLines).failure != nil)
        #expect(check("{\"a\": 01}", .document).failure != nil)
    }
}
