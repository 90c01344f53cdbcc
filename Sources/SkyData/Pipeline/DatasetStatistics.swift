public import Foundation
public import SkyCore

/// What `skyctl data stats` prints: sizes, steps and reflection keywords per sample, answer formats.
///
/// Without a `TokenCounter`, tokens are approximate (no tokenizer in SkyData): a run of letters, a run of
/// digits, or any other non-blank character counts as one, close to what byte-level BPE pre-tokenisers
/// produce. With one, every sample is also counted with the real tokenizer.
public struct DatasetStatistics: Sendable, Hashable {
    /// Valid records read.
    public var samples = 0
    /// Records skipped as malformed.
    public var invalid = 0
    /// Approximate tokens over all turns.
    public var tokens = 0
    /// Approximate tokens in assistant turns.
    public var assistantTokens = 0
    /// Real tokens of each sample, when a `TokenCounter` was given (empty otherwise).
    public var tokensPerSample: [Int] = []
    /// Real assistant (label) tokens of each sample, when a `TokenCounter` was given.
    public var assistantTokensPerSample: [Int] = []
    /// Thought steps of each sample, by the chosen segmenter.
    public var stepsPerSample: [Int] = []
    /// Cue-headed sentences in each sample's Thought.
    public var keywordsPerSample: [Int] = []
    /// Samples with Thought markers.
    public var withThoughtMarkers = 0
    /// Samples with a Solution section.
    public var withSolution = 0
    /// Samples by kind of the last boxed answer (`integer`, `fraction`, …, `none`).
    public var answerKinds: [String: Int] = [:]

    /// Reads `url` to the end, counting real tokens with `tokens` when given.
    public static func collect(
        url: URL, format: DatasetFormat? = nil, segmenter: any StepSegmenter = BlankLineSegmenter(),
        cues: [String] = ReflectionCues.defaults, skipInvalid: Bool = false, tokens counter: (any TokenCounter)? = nil
    ) throws -> DatasetStatistics {
        var reader = try DatasetReader(url: url, format: format, skipInvalid: skipInvalid)
        var statistics = DatasetStatistics()
        let matcher = ReflectionCues(cues)
        while let entry = try reader.next() {
            statistics.add(entry.record, segmenter: segmenter, cues: matcher, tokens: counter)
        }
        statistics.invalid = reader.invalidCount
        return statistics
    }

    /// Creates empty statistics.
    public init() {}

    /// Adds one record, counting its real tokens with `tokens` when given.
    public mutating func add(_ record: DatasetRecord, segmenter: any StepSegmenter, cues: ReflectionCues, tokens counter: (any TokenCounter)? = nil) {
        samples += 1
        if let counter {
            let counted = counter.count(record)
            tokensPerSample.append(counted.total)
            assistantTokensPerSample.append(counted.assistant)
        }
        tokens += Self.approximateTokens(record.system ?? "")
        for message in record.messages {
            let count = Self.approximateTokens(message.content)
            tokens += count
            if message.role == .assistant { assistantTokens += count }
        }
        let trace = ReasoningTrace(parsing: record.response ?? "")
        if trace.hasThoughtMarkers { withThoughtMarkers += 1 }
        if trace.solution != nil { withSolution += 1 }
        stepsPerSample.append(segmenter.segment(trace.thought).steps.count)
        var keywords = 0
        for paragraph in BlankLineSegmenter.paragraphs(trace.thought[...]) {
            for sentence in SentenceSplitter.pieces(paragraph) where cues.cue(heading: sentence) != nil { keywords += 1 }
        }
        keywordsPerSample.append(keywords)
        let kind = BoxedAnswer.last(in: trace.answerText).map { WrongValue.kind(of: $0) ?? "other" } ?? "none"
        answerKinds[kind, default: 0] += 1
    }

    /// Counts letter runs, digit runs and other non-blank characters.
    public static func approximateTokens(_ text: String) -> Int {
        var count = 0
        var previous = 0 // 0 blank, 1 letter, 2 digit, 3 other
        for byte in text.utf8 {
            let kind: Int
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: kind = 0
            case 0x30...0x39: kind = 2
            case 0x41...0x5A, 0x61...0x7A, 0x80...0xFF: kind = 1
            default: kind = 3
            }
            if kind != 0 && (kind != previous || kind == 3) { count += 1 }
            previous = kind
        }
        return count
    }

    /// The statistics as JSON (means, medians and extremes instead of the per-sample lists); `tokens`
    /// appears only when real tokens were counted.
    public var json: JSONValue {
        var fields: [String: JSONValue] = [
            "samples": .number(Double(samples)), "invalid": .number(Double(invalid)),
            "approxTokens": .number(Double(tokens)), "approxAssistantTokens": .number(Double(assistantTokens)),
            "stepsPerSample": Distribution(stepsPerSample).json, "keywordsPerSample": Distribution(keywordsPerSample).json,
            "withThoughtMarkers": .number(Double(withThoughtMarkers)), "withSolution": .number(Double(withSolution)),
            "answerKinds": .object(answerKinds.mapValues { .number(Double($0)) }),
        ]
        if !tokensPerSample.isEmpty {
            let all = Distribution(tokensPerSample), assistant = Distribution(assistantTokensPerSample)
            fields["tokens"] = .object([
                "total": .number(Double(all.total)), "perSample": all.json,
                "assistant": .number(Double(assistant.total)), "assistantPerSample": assistant.json,
            ])
        }
        return .object(fields)
    }
}
