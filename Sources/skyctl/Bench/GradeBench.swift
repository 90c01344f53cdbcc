import ArgumentParser
import Foundation
import SkyEval

/// `skyctl bench grade`: math grading throughput on generated pairs with known verdicts, one thread.
struct GradeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Measure grading throughput (answers/s) on generated {gold, model output} pairs.",
        discussion: """
        Pairs rotate through nine kinds of answer (integers, fractions vs decimals, thousands separators, \
        polynomials, intervals, percents, sets, matrices, roots), half of them equivalent, each prediction a \
        1–4 KB chain of thought ending in a boxed answer. Every verdict is checked against its label; a \
        disagreement fails the run. The median of the rounds is reported.
        """
    )

    @Option(help: "Pairs graded per round.") var count = 10_000
    @Option(help: "Seed of the generated pairs.") var seed: UInt64 = 1
    @Option(help: "Rounds; the median is reported.") var rounds = 3

    func validate() throws {
        guard count > 0, rounds > 0 else { throw ValidationError("--count and --rounds must be positive") }
    }

    func run() throws {
        let workload = GradingWorkload(count: count, seed: seed)
        var rates: [Double] = []
        for _ in 0..<rounds {
            var disagreements = 0
            let elapsed = ContinuousClock().measure {
                for pair in workload.pairs where Grader.grade(gold: pair.gold, prediction: pair.prediction).correct != pair.expected {
                    disagreements += 1
                }
            }
            guard disagreements == 0 else { throw BenchFailure("\(disagreements) verdicts disagree with their labels") }
            rates.append(Double(count) / elapsed.seconds)
        }
        let median = rates.sorted()[rates.count / 2]
        let averageLength = workload.predictionCharacters / count
        print("grading: \(Int(median.rounded())) answers/s (median of \(rounds) rounds of \(count) pairs, " +
              "outputs of \(averageLength) characters on average, one thread; all verdicts match their labels)")
        print("rounds (answers/s): " + rates.map { String(Int($0.rounded())) }.joined(separator: ", "))
    }
}
