import Foundation
import SkyData
import SkyJobs
import SkyModel
import SkyTensor

/// A tiny Qwen2 (the `tiny` preset, as `skyctl model init` makes it) with a tokenizer learned from the synthetic
/// task, and that task's short demonstrations as the dataset; removed by `remove()`.
struct TrainFixture {
    let directory: URL
    var model: URL { directory.appendingPathComponent("model") }
    var dataset: URL { directory.appendingPathComponent("data/train_short.jsonl") }

    init(records: Int = 16) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-train-\(UUID().uuidString)")
        let files = try SyntheticTaskGenerator(seed: 0, includesSystemPrompt: false)
            .write(to: directory.appendingPathComponent("data"), trainCount: records, benchmarkPerLevel: 0)
        var reader = try DatasetReader(url: files[1])
        let texts = try reader.readAll().flatMap { $0.messages.map(\.content) }
        let tokenizer = try BPETrainer(vocabularySize: 400).train(texts)
        try ModelDirectory.initialize(preset: ModelPreset.named("tiny")!, modelType: .qwen2, tokenizerJSON: tokenizer, seed: 1,
                                      to: model, backend: BLASBackend(threads: 1))
    }

    /// The model directory as a tar archive, as a user would upload it.
    func modelArchive() throws -> Data {
        let file = directory.appendingPathComponent("model.tar")
        try DirectoryArchive.write(directory: model, to: file)
        return try Data(contentsOf: file)
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}
