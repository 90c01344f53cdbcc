/// Delete (paper §4): removes round(r·n) of a trace's n Thought steps, chosen uniformly.
public struct DeleteSteps: Perturbation {
    public let name = "delete"
    public let ratio: Double
    private let editor: StepEditor

    /// Creates the perturbation.
    public init(ratio: Double, segmenter: any StepSegmenter = BlankLineSegmenter()) {
        self.ratio = ratio
        editor = StepEditor(segmenter: segmenter)
    }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        editor.edit(&record) { steps in
            let count = steps.count
            let doomed = Set(rng.choose(StepEditor.share(ratio, of: count), from: count))
            steps = steps.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
            return SampleEffect(changed: !doomed.isEmpty, counters: ["steps": count, "stepsDeleted": doomed.count])
        }
    }
}
