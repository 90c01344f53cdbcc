import SkyClient
import Testing

@Suite struct ServerSentEventParserTests {
    let stream = "retry: 2000\n\n: keep-alive\n\nevent: log\nid: 41\ndata: {\"a\":1}\n\nevent: end\ndata: first\ndata: second\n\n"

    @Test func eventsCarryTheirTypeIdAndDataWhileCommentsAreSkipped() {
        var parser = ServerSentEventParser()
        let events = parser.feed(Array(stream.utf8))
        #expect(events == [
            ServerSentEvent(event: "log", data: "{\"a\":1}", id: "41"),
            ServerSentEvent(event: "end", data: "first\nsecond"),
        ])
        #expect(parser.lastEventID == "41")
        #expect(parser.retryMilliseconds == 2000)
    }

    @Test func chunkBoundariesAnywhereGiveTheSameEvents() {
        var whole = ServerSentEventParser()
        let expected = whole.feed(Array(stream.utf8))
        for size in [1, 2, 3, 7, 13] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            let bytes = Array(stream.utf8)
            for start in stride(from: 0, to: bytes.count, by: size) {
                events += parser.feed(bytes[start..<min(bytes.count, start + size)])
            }
            #expect(events == expected, "chunks of \(size)")
        }
    }

    @Test func crlfAndBareCarriageReturnsEndLinesToo() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: a\r\n\r\ndata: b\r\rdata:c\n\n".utf8)) == [
            ServerSentEvent(data: "a"), ServerSentEvent(data: "b"), ServerSentEvent(data: "c"),
        ])
    }

    @Test func anEventIsNotDispatchedBeforeItsBlankLine() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("event: log\ndata: x\n".utf8)).isEmpty)
        #expect(parser.feed(Array("\n".utf8)) == [ServerSentEvent(event: "log", data: "x")])
    }
}
