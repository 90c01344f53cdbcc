import ArgumentParser
import Foundation
import SkyData

/// `skyctl data synth`: the synthetic arithmetic long-CoT task family for laptop-scale experiments.
struct DataSynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate train_long.jsonl, train_short.jsonl and benchmark.jsonl.",
        discussion: """
        Problems: a start value and N operations (+, -, *) applied in order; answers are exact integers in 0…999.
        Levels: 1 = 2 ops (operands ≤ 9, factors ≤ 3); 2 = 3 ops (≤ 20, ≤ 5); 3 = 5 ops (≤ 50, ≤ 9); 4 = 7 ops (≤ 99, ≤ 9).
        Training records cycle through the levels. Same seed, same files.
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
