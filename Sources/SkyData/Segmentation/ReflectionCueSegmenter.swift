/// Starts a new step wherever a sentence opens with a reflection or backtracking cue ("Wait", "But", …).
///
/// This approximates the paper's LLM splitter, which cut traces at reflection boundaries: text between
/// two cues, blank lines included, is one step. A cue in the middle of a sentence does not split.
public struct ReflectionCueSegmenter: StepSegmenter {
    private let cues: ReflectionCues

    /// Creates the segmenter for `cues` (case-insensitive).
    public init(cues: [String] = ReflectionCues.defaults) {
        self.cues = ReflectionCues(cues)
    }

    public func segment(_ thought: String) -> StepSplit {
        let (leading, body, trailing) = StepSplit.trim(thought)
        var steps: [String] = []
        var current = ""
        for sentence in SentenceSplitter.pieces(body) {
            if cues.cue(heading: sentence) != nil {
                let finished = StepSplit.trimmed(current[...])
                if !finished.isEmpty { steps.append(String(finished)) }
                current = ""
            }
            current += sentence
        }
        let finished = StepSplit.trimmed(current[...])
        if !finished.isEmpty { steps.append(String(finished)) }
        return StepSplit(leading: leading, steps: steps, trailing: trailing)
    }
}
