public import Foundation
public import SkyCore

/// What `skyctl data stats` prints: sizes, steps and reflection keywords per sample, answer formats.
///
/// Tokens are approximate (no tokenizer in SkyData): a run of letters, a run of digits, or any other
/// non-blank character counts as one, close to what byte-level BPE pre-tokenisers produce.
public struct DatasetStatistics: Sendable, Hashable {
    /// Valid records read.
    public var samples = 0
    /// Records skipped as malformed.
    public var invalid = 0
    /// Approximate tokens over all turns.
    public var tokens = 0
    /// Approximate tokens in assistant turns.
    public var assistantTokens = 0
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

    /// Reads `url` to the end.
    public static func collect(
        url: URL, format: DatasetFormat? = nil, segmenter: any StepSegmenter = BlankLineSegmenter(),
        cues: [String] = ReflectionCues.defaults, skipInvalid: Bool = false
    ) throws -> DatasetStatistics {
        var reader = try DatasetReader(url: url, format: format, skipInvalid: skipInvalid)
        var statistics = DatasetStatistics()
        let matcher = ReflectionCues(cues)
        while let entry = try reader.next() { statistics.add(entry.record, segmenter: segmenter, cues: matcher) }
        statistics.invalid = reader.invalidCount
        return statistics
    }

    /// Creates empty statistics.
    public init() {}

    /// Adds one record.
    public mutating func add(_ record: DatasetRecord, segmenter: any StepSegmenter, cues: ReflectionCues) {
        samples += 1
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

    /// The statistics as JSON (means, medians and extremes instead of the per-sample lists).
    public var json: JSONValue {
        func summary(_ values: [Int]) -> JSONValue {
            guard !values.isEmpty else { return .object([:]) }
            let sorted = values.sorted()
            return .object([
                "mean": .number(Double(values.reduce(0, +)) / Double(values.count)),
                "median": .number(Double(sorted[sorted.count / 2])),
                "min": .number(Double(sorted.first!)), "max": .number(Double(sorted.last!)),
            ])
        }
        return .object([
            "samples": .number(Double(samples)), "invalid": .number(Double(invalid)),
            "approxTokens": .number(Double(tokens)), "approxAssistantTokens": .number(Double(assistantTokens)),
            "stepsPerSample": summary(stepsPerSample), "keywordsPerSample": summary(keywordsPerSample),
            "withThoughtMarkers": .number(Double(withThoughtMarkers)), "withSolution": .number(Double(withSolution)),
            "answerKinds": .object(answerKinds.mapValues { .number(Double($0)) }),
        ])
    }
}
