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
            for operation in parsed.operations {
                switch operation {
                case .add(let n): value += n
                case .subtract(let n): value -= n
                case .multiply(let n): value *= n
                }
                #expect((0...999).contains(value))
            }
            #expect(value == problem.answer)
            let long = generator.longDemonstration(problem, index: index)
            #expect(BoxedAnswer.last(in: long.response!) == String(value))
            #expect(BoxedAnswer.last(in: generator.shortDemonstration(problem).response!) == String(value))
        }
    }

    @Test func longDemonstrationHasExplorationMistakeReflectionBacktrackAndVerification() {
        let problem = generator.trainingProblem(3)
        let trace = ReasoningTrace(parsing: generator.longDemonstration(problem, index: 3).response!)
        #expect(trace.hasThoughtMarkers && trace.solution != nil)
        let steps = BlankLineSegmenter().segment(trace.thought).steps
        #expect(steps.count == problem.operations.count + 6)
        #expect(steps[1].hasPrefix("One idea is"))
        let wait = steps.firstIndex { $0.hasPrefix("Wait, let me check") }!
        #expect(steps[wait - 1].hasPrefix(String(steps[wait + 1].prefix(while: { $0 != "=" }))) && steps[wait - 1] != steps[wait + 1])
        #expect(steps[steps.count - 2].hasPrefix("Let me verify"))
        #expect(trace.solution!.hasSuffix("\\boxed{\(problem.answer)}.\n\n"))
    }

    @Test func levelsGrowInOperationsAndBenchmarkAvoidsTrainingQuestions() {
        let training = Set((0..<200).map { QuestionKey.key(generator.trainingProblem($0).text) })
        let bench = generator.benchmark(perLevel: 25, excluding: training)
        #expect(bench.count == 100)
        for (id, problem) in bench {
            #expect(!training.contains(QuestionKey.key(problem.text)))
            #expect(problem.operations.count == SyntheticLevel.standard[problem.level - 1].operations)
            #expect(id.hasPrefix("L\(problem.level)-"))
        }
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
