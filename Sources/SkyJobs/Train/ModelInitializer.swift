import Foundation
import SkyCore
import SkyData
import SkyModel
import SkyTensor
import SkyWorker

/// Makes the base model a `baseModel: {init: …}` train job starts from: a byte-level BPE tokenizer learned from the
/// job's own dataset (and the `tokenizerCorpus`, when given), then a random model of the preset size. Deterministic, so a retry rebuilds the same model
/// and can resume from a checkpoint of the earlier attempt.
enum ModelInitializer {
    /// Writes the model into `directory` and returns it.
    static func make(_ source: ModelInitSource, corpora: [URL], format: String, into directory: URL) throws -> URL {
        guard let preset = ModelPreset.named(source.preset) else {
            throw PermanentJobError("baseModel.init.preset: unknown preset '\(source.preset)'")
        }
        guard let type = ModelConfig.ModelType(rawValue: source.modelType) else {
            throw PermanentJobError("baseModel.init.modelType: unknown model type '\(source.modelType)'")
        }
        var texts: [String] = []
        for (index, corpus) in corpora.enumerated() {
            do {
                var reader = try DatasetReader(url: corpus, format: DatasetFormat(name: index == 0 ? format : "auto"))
                while let entry = try reader.next() {
                    if let system = entry.record.system { texts.append(system) }
                    texts += entry.record.messages.map(\.content)
                }
            } catch {
                throw PermanentJobError("\(index == 0 ? "dataset" : "baseModel.init.tokenizerCorpus"): \(error)")
            }
        }
        let tokenizerJSON = try BPETrainer(vocabularySize: source.vocabSize).train(texts)
        try? FileManager.default.removeItem(at: directory)
        try ModelDirectory.initialize(preset: preset, modelType: type, tokenizerJSON: tokenizerJSON, seed: source.seed, to: directory,
                                      backend: BackendSelection.host())
        return directory
    }
}
