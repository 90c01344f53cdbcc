/// Shuffle (paper §4): reorders round(r·n) of a trace's n Thought steps among their own positions.
///
/// The chosen positions are permuted with Sattolo's algorithm (a single cycle), so every chosen step
/// moves and exactly those steps change place; the multiset of steps is kept. When the ratio picks
/// fewer than two steps nothing can move, and the trace is left as it is (`stepsMoved` 0).
public struct ShuffleSteps: Perturbation {
    public let name = "shuffle"
    public let ratio: Double
    private let editor: StepEditor

    /// Creates the perturbation.
    public init(ratio: Double, segmenter: any StepSegmenter = BlankLineSegmenter()) {
        self.ratio = ratio
        editor = StepEditor(segmenter: segmenter)
    }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        editor.edit(&record) { steps in
            let positions = rng.choose(StepEditor.share(ratio, of: steps.count), from: steps.count)
            guard positions.count >= 2 else { return SampleEffect(counters: ["steps": steps.count, "stepsMoved": 0]) }
            var order = positions
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.below(i)) }
            let original = steps
            for (target, source) in zip(positions, order) { steps[target] = original[source] }
            let moved = zip(original, steps).filter { $0 != $1 }.count
            return SampleEffect(changed: moved > 0, counters: ["steps": steps.count, "stepsMoved": moved])
        }
    }
}
