public import Foundation
public import SkyCore
import SkyData
public import SkyEval
import SkyWorker

/// Turns an eval spec's benchmark sources into loaded benchmarks.
public enum EvalBenchmarks {
    /// Every source of `spec`, in order, with its limit applied.
    static func load(_ sources: [EvalSpec.BenchmarkSource], context: JobContext) async throws -> [Benchmark] {
        var benchmarks: [Benchmark] = []
        for source in sources {
            var benchmark: Benchmark
            if let builtin = source.builtin {
                benchmark = try synthetic(name: source.name, builtin, in: try context.makeScratchDirectory())
            } else if let data = source.data {
                let file = try await DatasetInputs.resolve(data, name: "benchmark-\(source.name)", context: context)
                let format = source.format == "auto" ? nil : BenchmarkFormat(name: source.format)
                do {
                    benchmark = try BenchmarkLoader.load(fileAt: file, format: format, name: source.name)
                } catch {
                    throw PermanentJobError("benchmark '\(source.name)': \(error)")
                }
            } else {
                throw PermanentJobError("benchmark '\(source.name)' names neither data nor builtin")
            }
            if let limit = source.limit, limit < benchmark.problems.count {
                benchmark.problems = Array(benchmark.problems.prefix(limit))
            }
            guard !benchmark.problems.isEmpty else { throw PermanentJobError("benchmark '\(source.name)' has no problems") }
            benchmarks.append(benchmark)
        }
        return benchmarks
    }

    /// The synthetic task's held-out problems, written to `directory` exactly as `skyctl data synth` writes
    /// benchmark.jsonl and loaded like any benchmark file, so both have the same digest and the same problems.
    public static func synthetic(name: String, _ builtin: EvalSpec.Builtin, in directory: URL) throws -> Benchmark {
        let generator = SyntheticTaskGenerator(seed: builtin.seed)
        let file = directory.appendingPathComponent("benchmark-\(name).jsonl")
        var lines = try DatasetWriter.Lines(url: file)
        for (id, problem) in generator.benchmark(perLevel: builtin.perLevel) {
            try lines.write(.object([
                "id": .string(id), "problem": .string(problem.text), "answer": .string(String(problem.answer)),
                "level": .number(Double(problem.level)),
            ]))
        }
        try lines.finish()
        return try BenchmarkLoader.load(fileAt: file, format: .sky, name: name)
    }
}
