import SkyData
import Testing

@Suite struct SegmenterTests {
    @Test func blankLinesSplitStepsAndKeepSurroundingWhitespace() {
        let split = BlankLineSegmenter().segment("\n\nFirst line\nstill first\n\n\n \nSecond\n\n")
        #expect(split.steps == ["First line\nstill first", "Second"])
        #expect(split.leading == "\n\n" && split.trailing == "\n\n")
        #expect(split.text == "\n\nFirst line\nstill first\n\nSecond\n\n")
    }

    @Test func reflectionCuesStartNewSteps() {
        let text = "Compute 2+2. It is 4.\n\nNext we add.\n\nWait, that is wrong. Let me check again. Hmm, fine. The butter is 5, but ok."
        let steps = ReflectionCueSegmenter().segment(text).steps
        #expect(steps == ["Compute 2+2. It is 4.\n\nNext we add.", "Wait, that is wrong.", "Let me check again.", "Hmm, fine. The butter is 5, but ok."])
    }

    @Test func customCuesReplaceTheDefaults() {
        let steps = ReflectionCueSegmenter(cues: ["So"]).segment("A. Wait, B. So C. Sob D.").steps
        #expect(steps == ["A. Wait, B.", "So C. Sob D."])
    }

    @Test func stepCountsAreReportedPerSample() throws {
        let records = RandomTraces.records(seed: 4, count: 10)
        var statistics = DatasetStatistics()
        for record in records { statistics.add(record, segmenter: BlankLineSegmenter(), cues: ReflectionCues()) }
        #expect(statistics.stepsPerSample == records.map { RandomTraces.thought($0).count })
        #expect(statistics.answerKinds["integer"] == 10)
        #expect(statistics.withSolution == 10)
    }
}
