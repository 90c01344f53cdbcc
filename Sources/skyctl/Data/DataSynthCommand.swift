import ArgumentParser
import Foundation
import SkyData

/// `skyctl data synth`: the synthetic counting long-CoT task for laptop-scale experiments.
struct DataSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate train_long.jsonl, train_short.jsonl and benchmark.jsonl.",
        discussion: """
        Problems: "Start at S. Add A, keep the last digit, and repeat. Do it N times." with S in 0–9 and A in 1–3;
        the answer is (S + N·A) mod 10. Levels: N = 2–3, 4–5, 6–7 and 8–9. Long demonstrations write one addition
        per line (with one mistake, a "Wait" that fixes it, and a check); short ones give the answer at once.
        A fixed third of each level (about 20 problems) is held out: training never draws it, and the benchmark
        comes only from it, so --bench-per-level above 20 gives every held-out problem. Training records cycle
        through the levels. Same seed, same files.
        """
    )

    @Option(name: .shortAndLong, help: "Output directory.") var output: String
    @Option(help: "Seed.") var seed: UInt64 = 0
    @Option(help: "Training problems (long and short demonstrations of each).") var train: Int = 1000
    @Option(help: "Benchmark problems per level.") var benchPerLevel: Int = 50
    @Flag(help: "Leave Sky-T1's system prompt out of the long demonstrations (shorter sequences for tiny models).")
    var noSystemPrompt = false

    func run() throws {
        guard train >= 0, benchPerLevel >= 0 else { throw ValidationError("counts must not be negative") }
        let urls = try SyntheticTaskGenerator(seed: seed, includesSystemPrompt: !noSystemPrompt).write(
            to: URL(fileURLWithPath: output), trainCount: train, benchmarkPerLevel: benchPerLevel
        )
        for url in urls { print(url.path) }
    }
}
