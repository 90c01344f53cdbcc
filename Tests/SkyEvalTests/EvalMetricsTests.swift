import SkyEval
import Testing

@Suite struct EvalMetricsTests {
    /// pass@k by definition: the fraction of k-subsets of the n samples that hold at least one correct one.
    func enumeratedPassAtK(n: Int, c: Int, k: Int) -> Double {
        var hit = 0
        var total = 0
        for mask in 0..<(1 << n) where mask.nonzeroBitCount == k {
            total += 1
            // Samples 0..<c are the correct ones.
            if mask & ((1 << c) - 1) != 0 { hit += 1 }
        }
        return Double(hit) / Double(total)
    }

    @Test func passAtKMatchesEnumeratingSubsets() {
        for n in 1...10 {
            for c in 0...n {
                for k in 1...n {
                    let stable = EvalMetrics.passAtK(n: n, c: c, k: k)
                    let direct = enumeratedPassAtK(n: n, c: c, k: k)
                    #expect(abs(stable - direct) < 1e-12, "n=\(n) c=\(c) k=\(k): \(stable) vs \(direct)")
                }
            }
        }
    }

    @Test func passAtKStaysFiniteForLargeN() {
        // C(1000, 500) overflows a Double; the product form does not.
        let value = EvalMetrics.passAtK(n: 1_000, c: 3, k: 500)
        #expect(abs(value - (1 - (500.0 / 1000) * (499.0 / 999) * (498.0 / 998))) < 1e-12)
        #expect(EvalMetrics.passAtK([[true, false], [false, false]], k: 1) == 0.25)
    }

    @Test func passAtKIsReportedForEveryKUpToN() {
        #expect(EvalMetrics.ks(n: 1) == [1])
        #expect(EvalMetrics.ks(n: 6) == [1, 2, 3, 4, 5, 6])
        #expect(EvalMetrics.ks(n: 0) == [])
    }

    @Test func standardErrorIsBinomialForOneSample() {
        // 3 of 4 correct: p = 0.75, SE = sqrt(0.75 · 0.25 / 4) = 0.21650635…
        let estimate = EvalMetrics.accuracy([[true], [true], [false], [true]])
        #expect(estimate.value == 0.75)
        #expect(abs(estimate.standardError - (0.75 * 0.25 / 4).squareRoot()) < 1e-15)
        #expect(estimate.count == 4)
    }

    @Test func standardErrorUsesPerProblemAccuraciesForManySamples() {
        // Per-problem accuracies 1, 0.5, 0, 0.5: mean 0.5; population variance (0.25 + 0 + 0.25 + 0) / 4 = 0.125;
        // SE = sqrt(0.125 / 4) = 0.1767766953.
        let estimate = EvalMetrics.accuracy([[true, true], [true, false], [false, false], [false, true]])
        #expect(estimate.value == 0.5)
        #expect(abs(estimate.standardError - 0.1767766952966369) < 1e-15)
        #expect(EvalMetrics.accuracy([]) == Estimate(value: 0, standardError: 0, count: 0))
    }

    @Test func byLevelGroupsProblems() {
        let levels = EvalMetrics.byLevel(levels: ["1", "2", "1", nil], correct: [[true], [false], [false], [true]])
        #expect(levels["1"] == Estimate(value: 0.5, standardError: (0.25 / 2).squareRoot(), count: 2))
        #expect(levels["2"] == Estimate(value: 0, standardError: 0, count: 1))
        #expect(levels["none"]?.value == 1)
    }

    @Test func reflectionKeywordsCountWholeWordsOnceEach() {
        #expect(ReflectionKeywords.count(in: "Wait, wait. Hmm... But however, let me verify: VERIFY again.") == 7)
        #expect(ReflectionKeywords.count(in: "Let me double-check. Double check! On second thought, no.") == 3)
        #expect(ReflectionKeywords.count(in: "The waiter was butting in; verified and unverifiable.") == 0)
        #expect(ReflectionKeywords.count(in: "Let me think again about it, let me check.") == 2)
    }
}
