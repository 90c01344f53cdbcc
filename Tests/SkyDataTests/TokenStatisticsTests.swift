import Foundation
import SkyCore
import SkyData
import Testing

/// A stand-in tokenizer: one token per whitespace-separated word, plus two per turn for its header and end.
private struct WordCounter: TokenCounter {
    func count(_ record: DatasetRecord) -> SampleTokens {
        func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }
        let turns = record.messages.map { (words($0.content) + 2, $0.role == .assistant) }
        let system = record.system.map { words($0) + 2 } ?? 0
        return SampleTokens(total: system + turns.map(\.0).reduce(0, +), assistant: turns.filter(\.1).map(\.0).reduce(0, +))
    }
}

@Suite struct TokenStatisticsTests {
    let records = [
        DatasetRecord(system: "be brief", messages: [Message(role: .user, content: "one two"), Message(role: .assistant, content: "a b c")]),
        DatasetRecord(messages: [Message(role: .user, content: "x"), Message(role: .assistant, content: "y")]),
        DatasetRecord(messages: [Message(role: .user, content: "p q r s"), Message(role: .assistant, content: "1 2 3 4 5 6 7 8")]),
    ]

    private func collect(_ counter: (any TokenCounter)?) -> DatasetStatistics {
        var statistics = DatasetStatistics()
        for record in records { statistics.add(record, segmenter: BlankLineSegmenter(), cues: ReflectionCues(), tokens: counter) }
        return statistics
    }

    @Test func realTokensAreCountedPerSampleAndForAssistantTurns() {
        let statistics = collect(WordCounter())
        #expect(statistics.tokensPerSample == [13, 6, 16])
        #expect(statistics.assistantTokensPerSample == [5, 3, 10])
        let tokens = statistics.json["tokens"]
        #expect(tokens?["total"] == .number(35))
        #expect(tokens?["assistant"] == .number(18))
        #expect(tokens?["perSample"]?["median"] == .number(13))
        #expect(tokens?["perSample"]?["max"] == .number(16))
        #expect(tokens?["assistantPerSample"]?["mean"] == .number(6))
        #expect(statistics.text.contains("tokens: 35 total; per sample mean 11.7, median 13, max 16"))
        #expect(statistics.text.contains("assistant tokens: 18 total; per sample mean 6.0, median 5, max 10"))
    }

    @Test func withoutACounterOnlyApproximateTokensAreReported() {
        let statistics = collect(nil)
        #expect(statistics.tokensPerSample.isEmpty)
        #expect(statistics.json["tokens"] == nil)
        #expect(statistics.json["approxTokens"] == .number(Double(statistics.tokens)))
        #expect(!statistics.text.contains("assistant tokens:"))
    }

    @Test func distributionUsesTheUpperMedianAndIsEmptyForNoSamples() {
        let d = Distribution([7, 1, 4, 10])
        #expect(d.total == 22 && d.min == 1 && d.median == 7 && d.max == 10 && d.mean == 5.5)
        #expect(Distribution([]).json == .object([:]))
    }
}
