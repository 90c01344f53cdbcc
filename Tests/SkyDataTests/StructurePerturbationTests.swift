import Foundation
import SkyData
import Testing

@Suite struct StructurePerturbationTests {
    let records = RandomTraces.records(seed: 42, count: 300)

    @Test(arguments: [0.33, 0.67, 1.0])
    func shuffleKeepsTheStepsAndMovesAboutRatioOfThem(ratio: Double) {
        let shuffle = ShuffleSteps(ratio: ratio)
        var moved = 0
        var total = 0
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 7, stream: 0, item: UInt64(index))
            let effect = shuffle.apply(to: &record, index: index, rng: &rng)
            let before = RandomTraces.thought(original)
            let after = RandomTraces.thought(record)
            #expect(before.sorted() == after.sorted())
            let expected = Int((ratio * Double(before.count)).rounded())
            let changed = zip(before, after).filter { $0 != $1 }.count
            #expect(changed == (expected >= 2 ? expected : 0))
            #expect(effect.counters["stepsMoved"] == changed)
            #expect(RandomTraces.solution(record) == RandomTraces.solution(original))
            moved += changed
            total += before.count
        }
        #expect(abs(Double(moved) / Double(total) - ratio) < 0.08)
    }

    @Test(arguments: [0.33, 0.67, 1.0])
    func deleteRemovesAboutRatioOfTheStepsInOrder(ratio: Double) {
        let delete = DeleteSteps(ratio: ratio)
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 7, stream: 1, item: UInt64(index))
            _ = delete.apply(to: &record, index: index, rng: &rng)
            let before = RandomTraces.thought(original)
            let after = RandomTraces.thought(record)
            #expect(after.count == before.count - Int((ratio * Double(before.count)).rounded()))
            // What is left is a subsequence of the original, in order.
            var cursor = before.makeIterator()
            #expect(after.allSatisfy { step in
                while let candidate = cursor.next() { if candidate == step { return true } }
                return false
            })
            #expect(RandomTraces.solution(record) == RandomTraces.solution(original))
        }
    }

    @Test(arguments: [0.33, 0.67, 1.0])
    func insertKeepsTheCountAndTakesStepsFromOtherSamples(ratio: Double) {
        var builder = StepPool.Builder(seed: 1, capacity: 500, segmenter: BlankLineSegmenter())
        for (index, record) in records.enumerated() { builder.add(record, index: index) }
        let insert = InsertSteps(ratio: ratio, pool: builder.build())
        var replaced = 0
        var total = 0
        for (index, original) in records.enumerated() {
            var record = original
            var rng = SplitMix64(seed: 7, stream: 2, item: UInt64(index))
            let effect = insert.apply(to: &record, index: index, rng: &rng)
            let before = RandomTraces.thought(original)
            let after = RandomTraces.thought(record)
            #expect(after.count == before.count)
            for (old, new) in zip(before, after) where old != new {
                // Steps are labelled "Step <record>-<n>", so a foreign step names another record.
                #expect(!new.hasPrefix("Step \(index)-"))
                replaced += 1
            }
            #expect(effect.counters["stepsReplaced"] == zip(before, after).filter { $0 != $1 }.count)
            #expect(RandomTraces.solution(record) == RandomTraces.solution(original))
            total += before.count
        }
        #expect(abs(Double(replaced) / Double(total) - ratio) < 0.08)
    }

    @Test func ratioZeroLeavesEveryRecordByteIdentical() {
        var builder = StepPool.Builder(seed: 1, segmenter: BlankLineSegmenter())
        for (index, record) in records.enumerated() { builder.add(record, index: index) }
        let perturbations: [any Perturbation] = [
            ShuffleSteps(ratio: 0), DeleteSteps(ratio: 0), InsertSteps(ratio: 0, pool: builder.build()),
            CorruptDigits(ratio: 0), RemoveKeywords(selection: .none), WrongAnswer(selection: .none),
        ]
        for (index, original) in records.prefix(50).enumerated() {
            for perturbation in perturbations {
                var record = original
                var rng = SplitMix64(seed: 3)
                let effect = perturbation.apply(to: &record, index: index, rng: &rng)
                #expect(record == original)
                #expect(!effect.changed)
            }
        }
    }

    @Test func unmarkedRecordsAreOneBlockAndStillPerturbed() {
        var record = DatasetRecord(messages: [
            Message(role: .user, content: "q"), Message(role: .assistant, content: "a\n\nb\n\nc\n\nd"),
        ])
        var rng = SplitMix64(seed: 1)
        let effect = DeleteSteps(ratio: 0.5).apply(to: &record, index: 0, rng: &rng)
        #expect(effect.changed)
        #expect(record.response!.components(separatedBy: "\n\n").count == 2)
    }

    @Test func reflectionSegmenterStepsFeedTheSamePerturbations() {
        let text = "<|begin_of_thought|>\n\nFirst 1. Then 2.\n\nWait, no. It is 3. But check 4.\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\nok\n\n<|end_of_solution|>"
        var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: text)])
        var rng = SplitMix64(seed: 1)
        _ = DeleteSteps(ratio: 1, segmenter: ReflectionCueSegmenter()).apply(to: &record, index: 0, rng: &rng)
        #expect(record.response == "<|begin_of_thought|>\n\n\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\nok\n\n<|end_of_solution|>")
    }
}
