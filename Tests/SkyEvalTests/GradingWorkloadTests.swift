import SkyEval
import Testing

@Suite struct GradingWorkloadTests {
    /// The benchmark's pairs double as a second table: every kind, correct and not, with a long output around it.
    @Test func everyGeneratedPairGradesAsLabelled() {
        let workload = GradingWorkload(count: 900, seed: 3)
        #expect(workload.pairs.filter(\.expected).count == 450)
        for pair in workload.pairs {
            let verdict = Grader.grade(gold: pair.gold, prediction: pair.prediction)
            #expect(verdict.correct == pair.expected, "\(pair.gold) vs \(verdict.extracted ?? "-"): \(verdict.reason)")
        }
    }

    @Test func theSameSeedGivesTheSamePairs() {
        let a = GradingWorkload(count: 50, seed: 9).pairs.map(\.prediction)
        #expect(a == GradingWorkload(count: 50, seed: 9).pairs.map(\.prediction))
        #expect(a != GradingWorkload(count: 50, seed: 10).pairs.map(\.prediction))
    }
}
