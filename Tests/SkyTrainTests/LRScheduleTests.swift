import Foundation
import SkyTrain
import Testing

/// Multipliers transformers' schedulers give (values worked out from `get_*_schedule_with_warmup`).
@Suite struct LRScheduleTests {
    @Test func linearWarmsUpThenDecaysToZero() {
        let s = LRSchedule(.linear, totalSteps: 10, warmup: .steps(2))
        #expect([0, 1, 2, 6, 10, 12].map(s.multiplier) == [0, 0.5, 1, 0.5, 0, 0])
    }

    @Test func cosineFollowsHalfACosineAfterWarmup() {
        let s = LRSchedule(.cosine, totalSteps: 10, warmup: .steps(2))
        #expect(s.multiplier(step: 2) == 1)
        #expect(abs(s.multiplier(step: 6) - 0.5) < 1e-12)
        #expect(abs(s.multiplier(step: 4) - 0.5 * (1 + Foundation.cos(Double.pi * 0.25))) < 1e-12)
        #expect(abs(s.multiplier(step: 10)) < 1e-12)
    }

    @Test func constantHoldsThePeakAfterWarmup() {
        let s = LRSchedule(.constant, totalSteps: 10, warmup: .steps(4))
        #expect([0, 2, 4, 9].map(s.multiplier) == [0, 0.5, 1, 1])
        #expect(LRSchedule(.constant, totalSteps: 5).multiplier(step: 0) == 1)
    }

    @Test func warmupRatioRoundsUpLikeTheTrainer() {
        // The paper's setup: warmup ratio 0.1; ceil(0.1 · 96) = 10 steps.
        #expect(LRSchedule(.cosine, totalSteps: 96, warmup: .ratio(0.1)).warmupSteps == 10)
        #expect(LRSchedule(.cosine, totalSteps: 100, warmup: .ratio(0.1)).warmupSteps == 10)
    }
}
