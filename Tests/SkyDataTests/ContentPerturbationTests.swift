import SkyData
import Testing

@Suite struct ContentPerturbationTests {
    let records = RandomTraces.records(seed: 9, count: 200)

    @Test func corruptDigitsAtZeroChangesNothing() {
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 5, stream: 0, item: UInt64(index))
            let effect = CorruptDigits(ratio: 0).apply(to: &record, index: index, rng: &rng)
            #expect(record == original)
            #expect(effect.counters["numbersReplaced"] == 0)
            #expect(effect.counters["numbersSeen"]! > 0)
        }
    }

    @Test func corruptDigitsAtOneTouchesEveryNumberWithIntegersUpToTen() {
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 5, stream: 0, item: UInt64(index))
            let effect = CorruptDigits(ratio: 1).apply(to: &record, index: index, rng: &rng)
            #expect(effect.counters["numbersReplaced"] == effect.counters["numbersSeen"])
            // Every whitespace-delimited number left is 0–10: none of the originals survived unless it drew itself.
            for token in record.response!.split(whereSeparator: { " \n-:{}().,".contains($0) }) where token.allSatisfy(\.isNumber) {
                #expect(Int(token)! <= 10)
            }
            #expect(record.response!.contains("<|begin_of_thought|>"))
        }
    }

    @Test func corruptDigitsReplacesTheRegexsMatchesAndNothingGluedToAWord() {
        var record = DatasetRecord(messages: [Message(role: .assistant, content: "x2 + 3.5 = {12} and 2x, v1.2.3, -7 × 40")])
        var rng = SplitMix64(seed: 1)
        let effect = CorruptDigits(ratio: 1).apply(to: &record, index: 0, rng: &rng)
        #expect(effect.counters["numbersSeen"] == 5) // 3.5, 12, the 2.3 of v1.2.3 (a word boundary after the "."), 7, 40
        #expect(record.response!.hasPrefix("x2 + "))
        #expect(record.response!.contains("and 2x, v1."))
        #expect(!record.response!.contains("v1.2.3"))
    }

    @Test func corruptDigitsHitsAboutRatioOfNumbers() {
        var seen = 0
        var replaced = 0
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 11, stream: 0, item: UInt64(index))
            let effect = CorruptDigits(ratio: 0.5).apply(to: &record, index: index, rng: &rng)
            seen += effect.counters["numbersSeen"]!
            replaced += effect.counters["numbersReplaced"]!
        }
        #expect(abs(Double(replaced) / Double(seen) - 0.5) < 0.05)
    }

    @Test func removeKeywordsDropsCueSentencesAndKeepsMarkersAndSolution() {
        let text = "<|begin_of_thought|>\n\nCompute 2 + 2 = 4. Wait, is that right? Yes.\n\nHowever, we should check.\n\n"
            + "The butter costs 3, but fine.\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\nBut \\boxed{4}\n\n<|end_of_solution|>"
        var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: text)])
        var rng = SplitMix64(seed: 1)
        let effect = RemoveKeywords(selection: .all).apply(to: &record, index: 0, rng: &rng)
        #expect(effect.counters["sentencesRemoved"] == 2)
        #expect(record.response == "<|begin_of_thought|>\n\nCompute 2 + 2 = 4. Yes.\n\nThe butter costs 3, but fine.\n\n"
            + "<|end_of_thought|>\n\n<|begin_of_solution|>\n\nBut \\boxed{4}\n\n<|end_of_solution|>")
    }

    @Test func removeKeywordsChangesOnlyTheSelectedSamples() {
        let selection = SampleSelection(ratio: 0.2, of: records.indices, seed: 2, position: 0)
        var selected = 0
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 2, stream: 0, item: UInt64(index))
            let effect = RemoveKeywords(selection: selection).apply(to: &record, index: index, rng: &rng)
            #expect(effect.counters["samplesSelected"] == (selection.contains(index) ? 1 : 0))
            if !selection.contains(index) { #expect(record == original) }
            selected += effect.counters["samplesSelected"]!
        }
        #expect(selected == 40)
    }

    @Test(arguments: [
        ("42", "integer"), ("-3", "integer"), ("3.25", "decimal"), ("\\frac{3}{4}", "fraction"),
        ("-\\dfrac{1}{2}", "fraction"), ("7/8", "fraction"), ("2\\sqrt{3}", "expression"),
    ])
    func wrongAnswerKeepsTheTypeAndChangesTheValue(answer: String, kind: String) throws {
        for seed in 0..<30 as Range<UInt64> {
            let text = "<|begin_of_thought|>\n\nSo we get \(answer) here.\n\nThus \(answer) it is.\n\n<|end_of_thought|>\n\n"
                + "<|begin_of_solution|>\n\nThe answer is \(answer), i.e. \\boxed{\(answer)}.\n\n<|end_of_solution|>"
            var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: text)])
            var rng = SplitMix64(seed: seed)
            let effect = WrongAnswer(selection: .all).apply(to: &record, index: 0, rng: &rng)
            #expect(effect.counters["\(kind)Answers"] == 1)
            let new = try #require(BoxedAnswer.last(in: record.response!))
            #expect(new != answer)
            let trace = ReasoningTrace(parsing: record.response!)
            #expect(trace.solution!.contains("The answer is \(new),"))
            #expect(trace.thought.contains("Thus \(new) it is."))
            #expect(trace.thought.contains("So we get \(answer) here."))
            switch kind {
            case "integer": #expect(Int(new) != nil)
            case "decimal": #expect(Double(new) != nil && new.split(separator: ".")[1].count == answer.split(separator: ".")[1].count)
            case "fraction": #expect(new.contains("frac") || new.contains("/"))
            default: break
            }
        }
    }

    @Test func wrongAnswerUsesProvidedWrongSamplesByQuestion() {
        let question = "Return your final response within \\boxed{}. What is 1+1?"
        var record = DatasetRecord(messages: [Message(role: .user, content: question), Message(role: .assistant, content: "\\boxed{2}")])
        let wrong = WrongAnswer(selection: .all, substitutes: [QuestionKey.key("what is  1+1?"): "\\boxed{3}"])
        var rng = SplitMix64(seed: 1)
        let effect = wrong.apply(to: &record, index: 0, rng: &rng)
        #expect(effect.counters["substituted"] == 1)
        #expect(record.response == "\\boxed{3}")
    }

    @Test func wrongAnswerWithoutNumberIsCountedNotChanged() {
        var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: "so \\boxed{\\text{Evelyn}}")])
        var rng = SplitMix64(seed: 1)
        let effect = WrongAnswer(selection: .all).apply(to: &record, index: 0, rng: &rng)
        #expect(effect.counters["unchangedNoWrongAnswer"] == 1)
        #expect(record.response == "so \\boxed{\\text{Evelyn}}")
    }
}
