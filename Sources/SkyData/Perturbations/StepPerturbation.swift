/// Shared plumbing of the structure perturbations: only the Thought block's steps change, never the Solution.
struct StepEditor {
    let segmenter: any StepSegmenter

    /// Splits the record's Thought into steps, lets `edit` change them, and writes the Thought back
    /// only when `edit` reports a change, so untouched records keep their exact bytes.
    func edit(_ record: inout DatasetRecord, _ edit: (inout [String]) -> SampleEffect) -> SampleEffect {
        guard let response = record.response else { return .untouched }
        var trace = ReasoningTrace(parsing: response)
        var split = segmenter.segment(trace.thought)
        let effect = edit(&split.steps)
        if effect.changed {
            trace.thought = split.text
            record.response = trace.rendered
        }
        return effect
    }

    /// How many of `count` steps a ratio touches: round half away from zero.
    static func share(_ ratio: Double, of count: Int) -> Int {
        min(count, Int((ratio * Double(count)).rounded()))
    }
}
