import ArgumentParser

/// `skyctl bench …`: measurements whose results go in BENCHMARKS.md.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of Sky's parts.",
        subcommands: [QueueBench.self, ModelBench.self, GradeBench.self, TrainBench.self, EvalBench.self, ParityBench.self, GenerateBench.self]
    )
}
