import Foundation
import SkyCore
import SkyData
import Testing

@Suite struct PipelineTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sky-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private func writeInput(_ records: [DatasetRecord], in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("input.json")
        var writer = try DatasetWriter(url: url, format: .sharegpt, layout: .jsonList)
        for record in records { try writer.write(record) }
        _ = try writer.finish()
        return url
    }

    private let allSix: [PerturbSpec.Perturbation] = [
        .init(.wrongAnswer, ratio: 0.5), .init(.corruptDigits, ratio: 0.2), .init(.removeKeywords, ratio: 0.5),
        .init(.shuffle, ratio: 0.33), .init(.delete, ratio: 0.33), .init(.insert, ratio: 0.33),
    ]

    @Test func sameInputSpecAndSeedGiveByteIdenticalOutput() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try writeInput(RandomTraces.records(seed: 1, count: 120), in: directory)
        var outputs: [Data] = []
        for (name, seed) in [("a", 5), ("b", 5), ("c", 6)] as [(String, UInt64)] {
            let spec = PerturbSpec(dataset: .init(path: input.path), perturbations: allSix, seed: seed)
            let output = directory.appendingPathComponent("\(name).jsonl")
            var pipeline = PerturbationPipeline(spec: spec)
            pipeline.checkInterval = 7
            _ = try await pipeline.run(input: input, output: output)
            outputs.append(try Data(contentsOf: output) + Data(contentsOf: DatasetManifest.url(for: output)))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] != outputs[2])
    }

    @Test func manifestRecordsLineageAndStatistics() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var records = RandomTraces.records(seed: 2, count: 30)
        records[3].extra["correct"] = .bool(false)
        records[4] = records[5]
        let input = try writeInput(records, in: directory)
        let spec = PerturbSpec(
            dataset: .init(path: input.path), perturbations: [.init(.shuffle, ratio: 1), .init(.corruptDigits, ratio: 1)],
            seed: 9, dedupe: true, correctnessField: "correct"
        )
        let output = directory.appendingPathComponent("out.jsonl")
        let samples = directory.appendingPathComponent("samples.jsonl")
        let result = try await PerturbationPipeline(spec: spec).run(input: input, output: output, sampleStatistics: samples)
        let manifest = result.manifest
        #expect(manifest.sourceSHA256 == (try SHA256.hex(fileAt: input)))
        #expect(manifest.outputSHA256 == (try SHA256.hex(fileAt: output)))
        #expect(manifest.records == ["read": 30, "invalid": 0, "incorrect": 1, "duplicates": 1, "written": 28])
        #expect(manifest.statistics.map(\.name) == ["shuffle", "corrupt_digits"])
        #expect(manifest.statistics[1].totals["numbersReplaced"] == manifest.statistics[1].totals["numbersSeen"])
        #expect(manifest.spec["seed"] == .number(9))
        let written = try JSONValue.parse(Data(contentsOf: DatasetManifest.url(for: output)))
        #expect(written["skyVersion"] == .string(SkyDataVersion.current))
        #expect(written["source"]?["sha256"] == .string(manifest.sourceSHA256))
        let lines = try String(contentsOf: samples, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 28)
    }

    @Test func cancellationStopsTheRun() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try writeInput(RandomTraces.records(seed: 3, count: 200), in: directory)
        var pipeline = PerturbationPipeline(spec: PerturbSpec(dataset: .init(path: input.path), perturbations: [.init(.shuffle)]))
        pipeline.checkInterval = 10
        let task = Task { [pipeline] in
            try await pipeline.run(input: input, output: directory.appendingPathComponent("out.jsonl")) { progress in
                if progress.recordsRead >= 50 { withUnsafeCurrentTask { $0?.cancel() } }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func progressReachesTheEnd() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = try writeInput(RandomTraces.records(seed: 3, count: 50), in: directory)
        let spec = PerturbSpec(dataset: .init(path: input.path), outputFormat: "messages", perturbations: [.init(.insert, ratio: 0.5)])
        var last: PerturbationPipeline.Progress?
        _ = try await PerturbationPipeline(spec: spec).run(input: input, output: directory.appendingPathComponent("o.jsonl")) { last = $0 }
        #expect(last?.recordsWritten == 50 && last?.pass == 2 && last?.bytesRead == last?.totalBytes)
    }

    @Test func invalidSpecIsRejectedBeforeReading() async {
        let spec = PerturbSpec(dataset: .init(path: "/nonexistent"), perturbations: [.init(type: "scramble")])
        await #expect(throws: SpecValidationError.self) {
            try await PerturbationPipeline(spec: spec).run(input: URL(fileURLWithPath: "/nonexistent"), output: URL(fileURLWithPath: "/tmp/x"))
        }
    }

    @Test func wrongSamplesAreSubstitutedByQuestionThroughTheResolver() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let records = RandomTraces.records(seed: 4, count: 6)
        let input = try writeInput(records, in: directory)
        var wrong = records[2]
        wrong.response = "<|begin_of_thought|>\n\nguess\n\n<|end_of_thought|>\n\n<|begin_of_solution|>\n\n\\boxed{-1}\n\n<|end_of_solution|>"
        let wrongURL = directory.appendingPathComponent("wrong.jsonl")
        var writer = try DatasetWriter(url: wrongURL, format: .messages, layout: .jsonl)
        try writer.write(wrong)
        _ = try writer.finish()
        let spec = PerturbSpec(dataset: .init(artifact: "ds"), perturbations: [
            PerturbSpec.Perturbation(type: "wrong_answer", ratio: 1, wrongSamples: .init(artifact: "wrong-set")),
        ])
        let output = directory.appendingPathComponent("out.jsonl")
        let result = try await PerturbationPipeline(spec: spec).run(input: input, output: output) { _ in } resolve: { reference in
            #expect(reference.artifact == "wrong-set")
            return wrongURL
        }
        #expect(result.manifest.statistics[0].totals["substituted"] == 1)
        #expect(result.manifest.statistics[0].totals["noSubstitute"] == 5)
        var reader = try DatasetReader(url: output)
        let written = try reader.readAll()
        #expect(written[2] == wrong && written[0] == records[0])
    }
}
