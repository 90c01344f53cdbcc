import Foundation
import SkyCore
import SkyData
import Testing

@Suite struct SyntheticTaskTests {
    let generator = SyntheticTaskGenerator(seed: 17)

    @Test func answersAreRecomputedFromTheProblemText() throws {
        for index in 0..<400 {
            let problem = generator.trainingProblem(index)
            let parsed = try #require(SyntheticProblem(parsing: problem.text))
            var value = parsed.start
            for _ in 0..<parsed.count { value = (value + parsed.step) % 10 }
            #expect(value == problem.answer && parsed.values.last == value && parsed.values.count == parsed.count + 1)
            let long = generator.longDemonstration(problem, index: index)
            #expect(BoxedAnswer.last(in: long.response!) == String(value))
            #expect(BoxedAnswer.last(in: generator.shortDemonstration(problem).response!) == String(value))
        }
        #expect(SyntheticProblem(parsing: "Start at 3. Add 2, keep the last digit, and repeat. Do it 4 times.")?.answer == 1)
        #expect(SyntheticProblem(parsing: "Start at 3. Add 2, keep the last digit, and repeat. Do it 4 time.") == nil)
        #expect(SyntheticProblem(parsing: "Start at 3. Add 7, keep the last digit, and repeat. Do it 4 times.") == nil)
        #expect(SyntheticProblem(parsing: "Start at 3. Add 2, keep the first digit, and repeat. Do it 4 times.") == nil)
    }

    @Test func longDemonstrationHasExplorationMistakeReflectionBacktrackAndVerification() {
        for index in 0..<50 {
            let problem = generator.trainingProblem(index)
            let trace = ReasoningTrace(parsing: generator.longDemonstration(problem, index: index).response!)
            #expect(trace.hasThoughtMarkers && trace.solution != nil)
            let steps = BlankLineSegmenter().segment(trace.thought).steps
            #expect(steps.count == problem.count + 6)
            #expect(steps[1].hasPrefix("Adding \(problem.step) times"))
            let wait = steps.firstIndex { $0.hasPrefix("Wait, ") }!
            // The mistaken line and its redo share everything up to the result, which differs.
            #expect(steps[wait - 1].prefix(while: { $0 != "=" }) == steps[wait + 1].prefix(while: { $0 != "=" }))
            #expect(steps[wait - 1] != steps[wait + 1])
            #expect(steps[steps.count - 2].hasPrefix("Let me verify"))
            #expect(steps.last == "So the final digit is \(problem.answer).")
            // Each addition line names what is left and follows from the line before it.
            let lines = steps.filter { $0.contains(" left: ") && $0 != steps[wait - 1] }
            #expect(lines.count == problem.count)
            for (position, line) in lines.enumerated() {
                let values = problem.values
                #expect(line == "\(problem.count - position - 1) left: \(values[position]) + \(problem.step) = \(values[position + 1]).")
            }
            #expect(trace.solution!.hasSuffix("\\boxed{\(problem.answer)}.\n\n"))
        }
    }

    @Test func trainingNeverDrawsABenchmarkProblemAndLevelsGrow() {
        let training = (0..<2000).map { generator.trainingProblem($0) }
        #expect(training.allSatisfy { !$0.isHeldOut })
        let keys = Set(training.map { QuestionKey.key($0.text) })
        // Another seed's benchmark is held out too: no seed's training set meets any seed's benchmark.
        for other in [generator, SyntheticTaskGenerator(seed: 99)] {
            let bench = other.benchmark(perLevel: 100)
            #expect(bench.count > 60 && bench.count < 100, "about a third of 240 problems")
            for (id, problem) in bench {
                #expect(!keys.contains(QuestionKey.key(problem.text)) && problem.isHeldOut)
                let level = SyntheticLevel.standard[problem.level - 1]
                #expect((level.minCount...level.maxCount).contains(problem.count))
                #expect(id.hasPrefix("L\(problem.level)-"))
            }
            #expect(Set(bench.map { QuestionKey.key($0.problem.text) }).count == bench.count)
        }
        let five = generator.benchmark(perLevel: 5)
        #expect(five.count == 20)
        #expect(five.map(\.problem) != SyntheticTaskGenerator(seed: 18).benchmark(perLevel: 5).map(\.problem))
        let answers = Set(training.map(\.answer))
        #expect(answers == Set(0...9))
    }

    @Test func filesAreDeterministicBySeed() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sky-synth-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let first = try generator.write(to: base.appendingPathComponent("a"), trainCount: 30, benchmarkPerLevel: 5)
        let second = try generator.write(to: base.appendingPathComponent("b"), trainCount: 30, benchmarkPerLevel: 5)
        let other = try SyntheticTaskGenerator(seed: 18).write(to: base.appendingPathComponent("c"), trainCount: 30, benchmarkPerLevel: 5)
        for (a, b) in zip(first, second) { #expect(try Data(contentsOf: a) == Data(contentsOf: b)) }
        #expect(try Data(contentsOf: first[0]) != Data(contentsOf: other[0]))
        let line = try String(contentsOf: first[2], encoding: .utf8).split(separator: "\n")[0]
        let item = try JSONValue.parse(Data(line.utf8))
        let problem = try #require(SyntheticProblem(parsing: item["problem"]!.stringValue!))
        #expect(item["answer"] == .string(String(problem.answer)))
        var reader = try DatasetReader(url: first[0])
        #expect(try reader.readAll().count == 30)
        let manifest = try JSONValue.parse(Data(contentsOf: first[0].deletingLastPathComponent().appendingPathComponent("synth.manifest.json")))
        #expect(manifest["sha256"]?["train_long.jsonl"] == .string(try SHA256.hex(fileAt: first[0])))
        #expect(manifest["seed"] == .string("17"))
        let bare = SyntheticTaskGenerator(seed: 17, includesSystemPrompt: false)
        #expect(bare.longDemonstration(bare.trainingProblem(0), index: 0).system == nil)
    }
}
