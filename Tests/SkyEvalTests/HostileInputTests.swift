#if canImport(Glibc)
import Glibc
#endif
import SkyEval
import Testing

/// Hostile or broken input grades as incorrect with a reason, quickly: no crash, no hang.
@Suite struct HostileInputTests {
    /// The verdict and the CPU time this thread spent on it. CPU time, not wall time: on a loaded host the
    /// suite's other tests can hold the cores for seconds, while a blow-up shows in the thread's own time.
    func gradeTimed(gold: String, prediction: String) -> (Verdict, Duration) {
        func threadCPUTime() -> Duration {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
        }
        let start = threadCPUTime()
        let verdict = Grader.grade(gold: gold, prediction: prediction)
        return (verdict, threadCPUTime() - start)
    }

    @Test func aMillionNestedBracesFinishFast() {
        let deep = "\\boxed{" + String(repeating: "{", count: 1_000_000) + "1" + String(repeating: "}", count: 1_000_000) + "}"
        let (verdict, elapsed) = gradeTimed(gold: "1", prediction: deep)
        #expect(!verdict.correct)
        #expect(!verdict.reason.isEmpty)
        #expect(elapsed < .seconds(10))
    }

    @Test func unbalancedNestingFinishesFast() {
        let open = "\\boxed{" + String(repeating: "{", count: 1_000_000)
        let (verdict, elapsed) = gradeTimed(gold: "1", prediction: open)
        #expect(!verdict.correct)
        #expect(elapsed < .seconds(10))
    }

    @Test func deepParenthesesHitTheDepthLimit() {
        let nested = String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300)
        let (verdict, elapsed) = gradeTimed(gold: "1", prediction: "\\boxed{\(nested)}")
        #expect(!verdict.correct)
        #expect(verdict.reason.contains("nested deeper"))
        #expect(elapsed < .seconds(2))
    }

    @Test func hugeExponentsOverflowInsteadOfComputing() {
        let (verdict, elapsed) = gradeTimed(gold: "10^{10^{10}}", prediction: "\\boxed{10^{10^{10}} + 1}")
        #expect(!verdict.correct)
        #expect(elapsed < .seconds(1))
        #expect(Grader.grade(gold: "10^{10^{10}}", prediction: "\\boxed{10^{10^{10}}}").correct)
        #expect(!Grader.grade(gold: "1", prediction: "\\boxed{1000000!}").correct)
        #expect(!Grader.grade(gold: "1", prediction: "\\boxed{\\binom{10^{9}}{10^{8}}}").correct)
    }

    @Test func veryLongOutputsAreScannedOrRefused() {
        let filler = String(repeating: "Wait, let me reconsider step 12. ", count: 30_000)  // ~1M characters
        let (verdict, elapsed) = gradeTimed(gold: "7", prediction: filler + "\\boxed{7}")
        #expect(elapsed < .seconds(10))
        #expect(verdict.correct || verdict.reason.contains("longer than"))
        let (tooLong, _) = gradeTimed(gold: "7", prediction: String(repeating: "9", count: 2_000_000))
        #expect(!tooLong.correct)
        #expect(tooLong.reason.contains("longer than"))
    }

    @Test func aLongAnswerIsComparedAsText() {
        let long = String(repeating: "x+", count: 2_000) + "1"
        let verdict = Grader.grade(gold: "1", prediction: "\\boxed{\(long)}")
        #expect(!verdict.correct)
        #expect(verdict.reason.contains("compared as text"))
    }

    @Test func garbageIsIncorrectWithAReason() {
        for junk in ["\\boxed{}}}{{", "\\boxed{\\frac{}{}}", "\\boxed{^^^}", "\\boxed{\\}", "\\boxed{1/0}", "\\boxed{\\sqrt[0]{4}}",
                     "\\boxed{(((}", "\\boxed{\\begin{pmatrix}\\end{pmatrix}}", "\\boxed{,,,}", "\\boxed{=}", "\\boxed{\\cup}"] {
            let verdict = Grader.grade(gold: "2", prediction: junk)
            #expect(!verdict.correct, "\(junk)")
            #expect(!verdict.reason.isEmpty)
        }
    }

    /// Against a list gold a run of boxes is joined, but only the last few: eighty thousand boxes (most of the output limit) stay fast.
    @Test func aLongRunOfBoxesIsBounded() {
        let output = String(repeating: "\\boxed{1}, ", count: 80_000) + "\\boxed{2}"
        let (verdict, elapsed) = gradeTimed(gold: "1, 2", prediction: output)
        #expect(verdict.reason.hasPrefix("boxed; "))
        #expect(elapsed < .seconds(2))
    }

    @Test func manyElementsAreBounded() {
        let many = (0..<5_000).map(String.init).joined(separator: ",")
        let (verdict, elapsed) = gradeTimed(gold: "\\{" + many + "\\}", prediction: "\\boxed{\\{\(many)\\}}")
        #expect(verdict.reason.contains("compared as text"))
        #expect(verdict.correct)
        #expect(elapsed < .seconds(2))
    }
}
