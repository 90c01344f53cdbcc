import ArgumentParser
import Foundation
import SkyClient
import SkyEval

/// `skyctl leaderboard [--benchmark B] [--experiment E] [--compare JOB_A JOB_B]`.
struct LeaderboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leaderboard",
        abstract: "Scores with ± one standard error: per benchmark, or an experiment's variants × benchmarks table.",
        discussion: """
        Without --experiment: each model + adapter's best and latest score on every benchmark (or --benchmark B), \
        from the server's `leaderboard` view. With --experiment E: the paper's Table 2 shape, one row per variant, \
        one column per benchmark and the average, from the `experiment_table` view. With --compare A B (two eval job \
        ids): per benchmark both scored, the samples paired by problem and sample index, each accuracy with its 95% \
        Wilson interval, B − A with a 95% paired-bootstrap interval (problems resampled whole), the flips and the \
        exact McNemar p-value (the `eval_run_comparisons` view has the same counts and p-value). Accuracies are \
        percentages.
        """)

    @Option(help: "Only this benchmark.") var benchmark: String?
    @Option(help: "An experiment's table instead of the per-benchmark leaderboard.") var experiment: String?
    @Option(parsing: .upToNextOption, help: "Two eval job ids: is B's score different from A's beyond noise?") var compare: [Int64] = []
    @Option(help: "With --experiment: mark (†) the cells whose samples differ from this variant's with McNemar p < 0.05.")
    var against: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard compare.isEmpty || compare.count == 2 else { throw ValidationError("--compare takes two eval job ids, got \(compare.count)") }
        guard against == nil || experiment != nil else { throw ValidationError("--against marks cells of an experiment's table: give --experiment") }
    }

    func run() async throws {
        try await connection.withClient { client in
            if compare.count == 2 {
                let comparisons = try await Self.compare(client, compare[0], compare[1], benchmark: benchmark)
                if output.json { return try Output.json(comparisons) }
                print(comparisons.isEmpty ? "jobs \(compare[0]) and \(compare[1]) share no complete benchmark" : Self.render(comparisons))
                return
            }
            if let experiment {
                var scores = try await client.experimentScores(experiment)
                if let benchmark {
                    scores.benchmarks = scores.benchmarks.filter { $0 == benchmark }
                    // With one column left, the average is that column.
                    scores.rows = scores.rows.compactMap { row in
                        guard let cell = row.scores[benchmark] else { return nil }
                        return ExperimentScores.Row(variant: row.variant, scores: [benchmark: cell], average: cell.accuracy,
                                                    averageStandardError: cell.standardError)
                    }
                }
                if let against {
                    let comparisons = try await Self.comparisons(client, scores, against: against)
                    if output.json { return try Output.json(comparisons) }
                    let marked = Set(comparisons.filter { $0.mcnemarP < 0.05 }.map { [$0.variantB, $0.benchmark] })
                    print(LeaderboardText.render(scores, marked: marked,
                                                 markNote: "differs from '\(against)' sample by sample (exact McNemar p < 0.05)"))
                    return
                }
                if output.json { return try Output.json(scores) }
                print(scores.rows.isEmpty ? "no eval results in experiment '\(experiment)' yet" : LeaderboardText.render(scores))
                return
            }
            let entries = try await client.leaderboard(benchmark: benchmark)
            if output.json { return try Output.json(entries) }
            print(entries.isEmpty ? "no eval results yet" : LeaderboardText.render(entries, now: Date()))
        }
    }
}

/// Two eval jobs' runs of one benchmark, compared sample by sample.
struct RunComparison: Encodable {
    let benchmark: String
    let runA: Int64, runB: Int64
    let variantA: String, variantB: String
    let pairedSamples: Int, pairedProblems: Int
    let bothRight: Int, rightToWrong: Int, wrongToRight: Int, bothWrong: Int
    let accuracyA: Double, accuracyB: Double
    let intervalA: [Double], intervalB: [Double]
    let difference: Double, differenceInterval: [Double]
    let mcnemarP: Double
}

extension LeaderboardCommand {
    /// Every benchmark both jobs completed (by content hash), its samples paired by problem and sample index.
    static func compare(_ client: APIClient, _ a: Int64, _ b: Int64, benchmark: String?) async throws -> [RunComparison] {
        let runsA = try await client.evalRuns(job: a).filter { $0.state == "complete" }
        let runsB = try await client.evalRuns(job: b).filter { $0.state == "complete" }
        var result: [RunComparison] = []
        for ra in runsA where benchmark == nil || ra.benchmark == benchmark {
            guard let rb = runsB.first(where: { $0.benchmarkSha256 == ra.benchmarkSha256 }) else { continue }
            var verdictsB: [String: Bool] = [:]
            for v in try await client.evalVerdicts(run: rb.id) { verdictsB["\(v.problemId)\u{0}\(v.sampleIndex)"] = v.correct }
            let pairs = try await client.evalVerdicts(run: ra.id).compactMap { v in
                verdictsB["\(v.problemId)\u{0}\(v.sampleIndex)"].map { PairedComparison.Pair(problem: v.problemId, a: v.correct, b: $0) }
            }
            guard !pairs.isEmpty else { continue }
            let c = PairedComparison(pairs)
            result.append(RunComparison(
                benchmark: ra.benchmark, runA: ra.id, runB: rb.id, variantA: ra.variant, variantB: rb.variant, pairedSamples: c.pairs,
                pairedProblems: c.problems, bothRight: c.bothRight, rightToWrong: c.rightToWrong, wrongToRight: c.wrongToRight,
                bothWrong: c.bothWrong, accuracyA: c.accuracyA, accuracyB: c.accuracyB,
                intervalA: [c.intervalA.lowerBound, c.intervalA.upperBound], intervalB: [c.intervalB.lowerBound, c.intervalB.upperBound],
                difference: c.difference, differenceInterval: [c.differenceInterval.lowerBound, c.differenceInterval.upperBound],
                mcnemarP: c.mcnemarP))
        }
        return result
    }

    /// Every other variant's cell against the `against` row's cell of the same benchmark.
    static func comparisons(_ client: APIClient, _ scores: ExperimentScores, against: String) async throws -> [RunComparison] {
        guard let reference = scores.rows.first(where: { $0.variant == against }) else {
            throw ValidationError("--against \(against): no such variant in experiment '\(scores.experiment)' (variants: "
                + scores.rows.map(\.variant).joined(separator: ", ") + ")")
        }
        var result: [RunComparison] = []
        for row in scores.rows where row.variant != against {
            for (benchmark, cell) in row.scores.sorted(by: { $0.key < $1.key }) {
                guard let b = cell.jobId, let a = reference.scores[benchmark]?.jobId else { continue }
                result += try await compare(client, a, b, benchmark: benchmark)
            }
        }
        return result
    }

    /// One line per benchmark: percentages with their 95% intervals, the flips and the p-value.
    static func render(_ comparisons: [RunComparison]) -> String {
        func pct(_ x: Double) -> String { String(format: "%.1f", 100 * x) }
        func range(_ r: [Double]) -> String { "[\(pct(r[0])), \(pct(r[1]))]" }
        let header = ["BENCHMARK", "PAIRED", "A", "B", "B − A", "A→B", "MCNEMAR P"]
        let rows = comparisons.map { c in
            [c.benchmark, "\(c.pairedSamples)", "\(pct(c.accuracyA)) \(range(c.intervalA)) \(c.variantA)",
             "\(pct(c.accuracyB)) \(range(c.intervalB)) \(c.variantB)",
             "\(c.difference >= 0 ? "+" : "")\(pct(c.difference)) \(range(c.differenceInterval))",
             "\(c.rightToWrong) lost, \(c.wrongToRight) gained", String(format: c.mcnemarP < 0.001 ? "%.1e" : "%.3f", c.mcnemarP)]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
            + "\n95% intervals: Wilson for each accuracy, paired bootstrap (problems resampled) for B − A; McNemar exact, two-sided."
    }
}
