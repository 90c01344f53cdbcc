/// Removed reasoning keywords (paper §4): in a fraction r of samples (exactly round(r·N), see
/// `SampleSelection`), every Thought sentence headed by a reflection phrase is removed, the phrase with it.
///
/// Only the Thought block changes, so the markers and the Solution stay. A cue inside a sentence
/// ("…, but …") is left alone: the paper removes the phrases and the sentences they head.
/// Paragraphs left empty disappear with their blank line.
public struct RemoveKeywords: Perturbation {
    public let name = "remove_keywords"
    private let selection: SampleSelection
    private let cues: ReflectionCues

    /// Creates the perturbation for the samples in `selection` and `keywords` (case-insensitive; the defaults when nil).
    public init(selection: SampleSelection, keywords: [String]? = nil) {
        self.selection = selection
        cues = ReflectionCues(keywords ?? ReflectionCues.defaults)
    }

    public var ratio: Double { selection.ratio }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        guard let response = record.response, selection.contains(index) else {
            return SampleEffect(counters: ["samplesSelected": 0])
        }
        var trace = ReasoningTrace(parsing: response)
        let (leading, body, trailing) = StepSplit.trim(trace.thought)
        var removed = 0
        var removedCharacters = 0
        var paragraphs: [String] = []
        for paragraph in BlankLineSegmenter.paragraphs(body) {
            var kept = ""
            for sentence in SentenceSplitter.pieces(paragraph) {
                if cues.cue(heading: sentence) != nil {
                    removed += 1
                    removedCharacters += sentence.count
                } else {
                    kept += sentence
                }
            }
            let trimmed = StepSplit.trimmed(kept[...])
            if !trimmed.isEmpty { paragraphs.append(String(trimmed)) }
        }
        if removed > 0 {
            trace.thought = StepSplit(leading: leading, steps: paragraphs, trailing: trailing).text
            record.response = trace.rendered
        }
        return SampleEffect(changed: removed > 0, counters: [
            "samplesSelected": 1, "sentencesRemoved": removed, "charactersRemoved": removedCharacters,
        ])
    }
}
