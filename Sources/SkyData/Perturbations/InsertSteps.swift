/// Insert (paper §4): replaces round(r·n) of a trace's n Thought steps with steps drawn from other traces.
///
/// The step count is kept; each replacement is the closest in length of a few draws from the pool
/// (the paper kept length roughly the same). A position whose draws all hit the same record stays.
public struct InsertSteps: Perturbation {
    public let name = "insert"
    public let ratio: Double
    private let editor: StepEditor
    private let pool: StepPool

    /// Creates the perturbation with donor steps from `pool`.
    public init(ratio: Double, pool: StepPool, segmenter: any StepSegmenter = BlankLineSegmenter()) {
        self.ratio = ratio
        self.pool = pool
        editor = StepEditor(segmenter: segmenter)
    }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        editor.edit(&record) { steps in
            var replaced = 0
            var missed = 0
            for position in rng.choose(StepEditor.share(ratio, of: steps.count), from: steps.count) {
                guard let donor = pool.draw(excluding: index, near: steps[position].utf8.count, rng: &rng) else {
                    missed += 1
                    continue
                }
                steps[position] = donor.text
                replaced += 1
            }
            return SampleEffect(
                changed: replaced > 0,
                counters: ["steps": steps.count, "stepsReplaced": replaced, "stepsWithoutDonor": missed]
            )
        }
    }
}
