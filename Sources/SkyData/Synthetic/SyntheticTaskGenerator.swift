public import Foundation
import SkyCore

/// The synthetic long-CoT task family for laptop-scale experiments (`skyctl data synth`).
///
/// Training problems are drawn from `SplitMix64(seed, stream: purpose·16 + level, item: index)`, so any
/// problem can be regenerated alone and the same seed gives the same files; records cycle through the
/// levels. Benchmark problems come from a fixed held-out third of each level (`SyntheticProblem.isHeldOut`)
/// that no training draw returns, so benchmarks and training sets of any seeds never share a question.
public struct SyntheticTaskGenerator: Sendable {
    /// The seed of every draw.
    public let seed: UInt64
    /// The difficulty levels.
    public let levels: [SyntheticLevel]
    /// Whether long demonstrations carry Sky-T1's system prompt; tiny models may skip its ~700 bytes.
    public let includesSystemPrompt: Bool

    /// Creates a generator.
    public init(seed: UInt64, levels: [SyntheticLevel] = SyntheticLevel.standard, includesSystemPrompt: Bool = true) {
        self.seed = seed
        self.levels = levels
        self.includesSystemPrompt = includesSystemPrompt
    }

    private static let trainStream: UInt64 = 1
    private static let benchStream: UInt64 = 2

    /// Draws a training problem at `level` (never a held-out one); `purpose` separates independent draws.
    public func problem(level: SyntheticLevel, index: Int, purpose: UInt64 = 1) -> SyntheticProblem {
        var rng = SplitMix64(seed: seed, stream: purpose * 16 + UInt64(level.number), item: UInt64(index))
        // Two in three problems are training problems, so this loop ends almost at once on any real level.
        for _ in 0..<10_000 {
            let problem = SyntheticProblem(level: level.number, start: rng.int(in: 0...9),
                                           step: rng.int(in: SyntheticProblem.steps), count: rng.int(in: level.minCount...level.maxCount))
            if !problem.isHeldOut { return problem }
        }
        preconditionFailure("level \(level.number) has no training problems: every one is held out")
    }

    /// The `index`-th training problem (levels in turn).
    public func trainingProblem(_ index: Int) -> SyntheticProblem {
        problem(level: levels[index % levels.count], index: index, purpose: Self.trainStream)
    }

    /// The long-CoT demonstration in Sky-T1 format.
    public func longDemonstration(_ problem: SyntheticProblem, index: Int) -> DatasetRecord {
        var rng = SplitMix64(seed: seed, stream: 3, item: UInt64(index))
        let mistakeAt = rng.below(problem.count)
        let slip = rng.int(in: 1...9)
        return DatasetRecord(system: includesSystemPrompt ? SyntheticDemonstrations.system : nil, messages: [
            Message(role: .user, content: SyntheticDemonstrations.prompt(problem)),
            Message(role: .assistant, content: SyntheticDemonstrations.longThought(problem, mistakeAt: mistakeAt, slip: slip)),
        ])
    }

    /// The short-CoT demonstration of the same problem.
    public func shortDemonstration(_ problem: SyntheticProblem) -> DatasetRecord {
        DatasetRecord(messages: [
            Message(role: .user, content: SyntheticDemonstrations.prompt(problem)),
            Message(role: .assistant, content: SyntheticDemonstrations.shortAnswer(problem)),
        ])
    }

    /// Benchmark problems, up to `perLevel` at each level: held-out problems (which no training draw returns, for
    /// any seed or count) in an order shuffled by the seed. A level has about 20 held-out problems, so a larger
    /// `perLevel` gives them all.
    public func benchmark(perLevel: Int) -> [(id: String, problem: SyntheticProblem)] {
        var items: [(String, SyntheticProblem)] = []
        for level in levels {
            var pool = level.problems.filter(\.isHeldOut)
            var rng = SplitMix64(seed: seed, stream: Self.benchStream * 16 + UInt64(level.number), item: 0)
            for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.int(in: 0...i)) }
            for (taken, problem) in pool.prefix(perLevel).enumerated() { items.append(("L\(level.number)-\(taken)", problem)) }
        }
        return items
    }

    /// Writes `train_long.jsonl`, `train_short.jsonl`, `benchmark.jsonl` (`{id, problem, answer, level}`) and
    /// `synth.manifest.json` into `directory`; returns the three dataset files.
    public func write(to directory: URL, trainCount: Int, benchmarkPerLevel: Int) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let urls = ["train_long.jsonl", "train_short.jsonl", "benchmark.jsonl"].map { directory.appendingPathComponent($0) }
        var long = try DatasetWriter(url: urls[0], format: .sharegpt, layout: .jsonl)
        var short = try DatasetWriter(url: urls[1], format: .sharegpt, layout: .jsonl)
        for index in 0..<trainCount {
            let problem = trainingProblem(index)
            try long.write(longDemonstration(problem, index: index))
            try short.write(shortDemonstration(problem))
        }
        _ = try long.finish()
        _ = try short.finish()
        var bench = try DatasetWriter.Lines(url: urls[2])
        for (id, problem) in benchmark(perLevel: benchmarkPerLevel) {
            try bench.write(.object([
                "id": .string(id), "problem": .string(problem.text), "answer": .string(String(problem.answer)),
                "level": .number(Double(problem.level)),
            ]))
        }
        try bench.finish()
        try writeManifest(in: directory, files: urls, trainCount: trainCount, benchmarkPerLevel: benchmarkPerLevel)
        return urls
    }

    /// Lineage for the generated files: generator, seed, levels and each file's SHA-256.
    private func writeManifest(in directory: URL, files: [URL], trainCount: Int, benchmarkPerLevel: Int) throws {
        var hashes: [String: JSONValue] = [:]
        for file in files { hashes[file.lastPathComponent] = .string(try SHA256.hex(fileAt: file)) }
        let levels: [JSONValue] = levels.map {
            .object([
                "level": .number(Double($0.number)), "minCount": .number(Double($0.minCount)),
                "maxCount": .number(Double($0.maxCount)),
            ])
        }
        let manifest: JSONValue = .object([
            "skyVersion": .string(SkyDataVersion.current), "generator": .string("synthetic-counting"),
            "seed": .string(String(seed)), "systemPrompt": .bool(includesSystemPrompt), "trainCount": .number(Double(trainCount)),
            "benchmarkPerLevel": .number(Double(benchmarkPerLevel)), "levels": .array(levels), "sha256": .object(hashes),
        ])
        var writer = try DatasetWriter.Lines(url: directory.appendingPathComponent("synth.manifest.json"))
        try writer.write(manifest)
        try writer.finish()
    }
}
