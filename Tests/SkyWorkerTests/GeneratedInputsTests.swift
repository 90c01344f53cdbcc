import Foundation
import SkyCore
@testable import SkyJobs
import SkyModel
import SkyStore
import SkyTestSupport
import SkyWorker
import Testing

@Suite struct GeneratedInputsTests {
    @Test func theSpecsPresetListIsSkyModels() {
        #expect(ModelInitSource.presets == ModelPreset.all.map(\.name))
    }

    @Test func syntheticDatasetsAreDeterministic() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-synthetic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = SyntheticDatasetSource(seed: 3, count: 5, demonstrations: "short")
        let (a, b) = (directory.appendingPathComponent("a.jsonl"), directory.appendingPathComponent("b.jsonl"))
        try SyntheticDatasets.write(source, to: a)
        try SyntheticDatasets.write(source, to: b)
        let text = try String(contentsOf: a, encoding: .utf8)
        let (bytesA, bytesB) = (try Data(contentsOf: a), try Data(contentsOf: b))
        #expect(text.split(separator: "\n").count == 5 && bytesA == bytesB)
        let model = try ModelInitializer.make(ModelInitSource(preset: "tiny", vocabSize: 300), corpora: [a], format: "auto",
                                              into: directory.appendingPathComponent("model"))
        #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent("tokenizer.json").path))
        #expect(try ModelConfig(contentsOf: model).hiddenSize == ModelPreset.named("tiny")!.hiddenSize)

        // With the long demonstrations as a second corpus, their words become tokens of their own.
        let long = directory.appendingPathComponent("long.jsonl")
        try SyntheticDatasets.write(SyntheticDatasetSource(seed: 3, count: 5, demonstrations: "long"), to: long)
        let both = try ModelInitializer.make(ModelInitSource(preset: "tiny", vocabSize: 400), corpora: [a, long], format: "auto",
                                             into: directory.appendingPathComponent("both"))
        let shortOnly = try ModelInitializer.make(ModelInitSource(preset: "tiny", vocabSize: 400), corpora: [a], format: "auto",
                                                  into: directory.appendingPathComponent("short"))
        let sample = try String(contentsOf: long, encoding: .utf8).split(separator: "\n")[0]
        let count = { (dir: URL) in try Tokenizer(contentsOf: dir.appendingPathComponent("tokenizer.json")).encode(String(sample)).count }
        #expect(try count(both) < count(shortOnly) * 3 / 4)
    }

    @Test func aPerturbJobOnSyntheticDataRecordsTheGeneratorAsItsSource() async throws {
        try await withTestDatabase { db in
            let job = try await db.queue.submit(JobSubmission(kind: .perturb, spec: .object([
                "dataset": .object(["synthetic": .object(["seed": .number(2), "count": .number(6)])]),
                "perturbations": .array([.object(["type": .string("shuffle"), "ratio": .number(1)])]),
            ])))
            let worker = try await makeWorker(db, executors: [PerturbExecutor()])
            try await withWorker(worker) {
                let finished = try await eventually(timeout: .seconds(120)) { try await db.queue.job(job.id).state.isFinal }
                #expect(finished)
            }
            let done = try await db.queue.job(job.id)
            #expect(done.state == .succeeded, "\(done.error ?? "")")
            #expect(done.result?["records"] == .number(6))
            #expect(done.result?["manifest"]?["source"]?["synthetic"]?["seed"] == .string("2"))
        }
    }
}
