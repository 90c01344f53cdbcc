public import Foundation
import SkyCore

/// The synthetic long-CoT task family for laptop-scale experiments (`skyctl data synth`).
///
/// Problems are drawn from `SplitMix64(seed, stream: purpose·16 + level, item: index)`, so any problem
/// can be regenerated alone and the same seed gives the same files. Training records cycle through the
/// levels; benchmark problems that repeat a training question are redrawn.
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

    /// Draws a problem at `level`; `purpose` separates training from benchmark draws.
    public func problem(level: SyntheticLevel, index: Int, purpose: UInt64 = 1) -> SyntheticProblem {
        var rng = SplitMix64(seed: seed, stream: purpose * 16 + UInt64(level.number), item: UInt64(index))
        let start = rng.int(in: 1...level.maxStart)
        var value = start
        var operations: [SyntheticProblem.Operation] = []
        for _ in 0..<level.operations {
            var operation: SyntheticProblem.Operation
            switch rng.below(3) {
            case 0: operation = .add(rng.int(in: 1...level.maxAddend))
            case 1: operation = .subtract(rng.int(in: 1...level.maxAddend))
            default: operation = .multiply(rng.int(in: 2...max(2, level.maxFactor)))
            }
            let next = operation.apply(value)
            if next < 0 {
                // Only a subtraction goes below zero; adding the same amount keeps the draw count fixed.
                operation = .add(operation.operand)
            } else if next > level.maxValue {
                operation = .subtract(min(value, rng.int(in: 1...level.maxAddend)))
            }
            value = operation.apply(value)
            operations.append(operation)
        }
        return SyntheticProblem(level: level.number, start: start, operations: operations)
    }

    /// The `index`-th training problem (levels in turn).
    public func trainingProblem(_ index: Int) -> SyntheticProblem {
        problem(level: levels[index % levels.count], index: index, purpose: Self.trainStream)
    }

    /// The long-CoT demonstration in Sky-T1 format.
    public func longDemonstration(_ problem: SyntheticProblem, index: Int) -> DatasetRecord {
        var rng = SplitMix64(seed: seed, stream: 3, item: UInt64(index))
        let mistakeAt = rng.below(problem.operations.count)
        let slip = rng.int(in: 1...9) * (rng.chance(0.5) ? 1 : -1)
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

    /// Held-out problems, `perLevel` at each level, none repeating a question in `excluding` (question keys).
    public func benchmark(perLevel: Int, excluding: Set<String>) -> [(id: String, problem: SyntheticProblem)] {
        var items: [(String, SyntheticProblem)] = []
        var used = excluding
        for level in levels {
            var draw = 0
            var taken = 0
            while taken < perLevel && draw < perLevel * 100 {
                let candidate = problem(level: level, index: draw, purpose: Self.benchStream)
                draw += 1
                guard used.insert(QuestionKey.key(candidate.text)).inserted else { continue }
                items.append(("L\(level.number)-\(taken)", candidate))
                taken += 1
            }
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
        var seen = Set<String>()
        for index in 0..<trainCount {
            let problem = trainingProblem(index)
            seen.insert(QuestionKey.key(problem.text))
            try long.write(longDemonstration(problem, index: index))
            try short.write(shortDemonstration(problem))
        }
        _ = try long.finish()
        _ = try short.finish()
        var bench = try DatasetWriter.Lines(url: urls[2])
        for (id, problem) in benchmark(perLevel: benchmarkPerLevel, excluding: seen) {
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
                "level": .number(Double($0.number)), "operations": .number(Double($0.operations)),
                "maxAddend": .number(Double($0.maxAddend)), "maxFactor": .number(Double($0.maxFactor)),
                "maxStart": .number(Double($0.maxStart)), "maxValue": .number(Double($0.maxValue)),
            ])
        }
        let manifest: JSONValue = .object([
            "skyVersion": .string(SkyDataVersion.current), "generator": .string("synthetic-arithmetic"),
            "seed": .string(String(seed)), "systemPrompt": .bool(includesSystemPrompt), "trainCount": .number(Double(trainCount)),
            "benchmarkPerLevel": .number(Double(benchmarkPerLevel)), "levels": .array(levels), "sha256": .object(hashes),
        ])
        var writer = try DatasetWriter.Lines(url: directory.appendingPathComponent("synth.manifest.json"))
        try writer.write(manifest)
        try writer.finish()
    }
}
