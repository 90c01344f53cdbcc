import SkyTrain
import Testing

/// Epoch order, micro-batches, accumulation and packing.
@Suite struct BatchPlanTests {
    static let lengths = [5, 9, 3, 7, 2, 8, 4, 6, 1, 10, 3]

    @Test func everyEpochVisitsEverySequenceOnceInItsOwnOrder() {
        let plan = BatchPlan(lengths: Self.lengths, microBatchSize: 2, accumulation: 2, packing: false, maxLength: 10, seed: 1)
        let epochs = (0..<3).map { plan.steps(epoch: $0) }
        for steps in epochs {
            #expect(steps.joined().joined().sorted() == Array(Self.lengths.indices))
            // 11 sequences → 6 micro-batches of ≤ 2 → 3 steps of 2 micro-batches.
            #expect(steps.map(\.count) == [2, 2, 2] && steps.joined().map(\.count) == [2, 2, 2, 2, 2, 1])
        }
        #expect(epochs[0] != epochs[1])
        let again = BatchPlan(lengths: Self.lengths, microBatchSize: 2, accumulation: 2, packing: false, maxLength: 10, seed: 1)
        #expect(again.steps(epoch: 1) == epochs[1])
        #expect(plan.stepCount(epochs: 3) == 9)
    }

    @Test func packingFillsMicroBatchesUpToTheTokenBudget() {
        let plan = BatchPlan(lengths: Self.lengths, microBatchSize: 2, accumulation: 1, packing: true, maxLength: 10, seed: 5)
        let microBatches = plan.steps(epoch: 0).joined()
        #expect(microBatches.joined().sorted() == Array(Self.lengths.indices))
        let tokens = microBatches.map { $0.reduce(0) { $0 + Self.lengths[$1] } }
        #expect(tokens.allSatisfy { $0 <= 20 })
        // Greedy filling: the next sequence would not have fitted into the micro-batch before it.
        for (i, batch) in microBatches.enumerated().dropFirst() {
            #expect(tokens[i - 1] + Self.lengths[batch[0]] > 20)
        }
        #expect(microBatches.count < Self.lengths.count / 2 + 1)
    }
}
