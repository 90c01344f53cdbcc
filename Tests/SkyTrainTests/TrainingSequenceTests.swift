import SkyTrain
import Testing

/// Labels, the shift to next-token targets, and what counts as a label token.
@Suite struct TrainingSequenceTests {
    @Test func assistantMaskBecomesLabelsAndTargetsAreShiftedByOne() {
        let s = TrainingSequence(ids: [7, 8, 9, 10], lossMask: [false, false, true, true])
        #expect(s.labels == [-100, -100, 9, 10])
        // Row t predicts label t + 1; the last row predicts nothing.
        #expect(s.shiftedTargets == [-100, 9, 10, -100])
        #expect(s.labelTokenCount == 2)
    }

    @Test func labelsDefaultToTheTokensAndTheFirstNeverCounts() {
        let s = TrainingSequence(inputIds: [1, 2, 3])
        #expect(s.labels == [1, 2, 3] && s.shiftedTargets == [2, 3, -100] && s.labelTokenCount == 2)
        #expect(TrainingSequence(inputIds: [5]).labelTokenCount == 0)
    }
}
