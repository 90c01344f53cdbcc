public import Foundation
import SkyModel

extension TrainingRun {
    /// Writes what the run trained into `directory`: a PEFT adapter directory for LoRA (naming `baseModel`), or a
    /// Hugging Face model directory for full fine-tuning with the tokenizer files copied from `baseDirectory`.
    public func export(to directory: URL, baseModel: String, baseDirectory: URL?) throws {
        let backend = trainer.model.backend
        switch options.mode {
        case .lora(let lora):
            try PEFTAdapter.write(parameters: trainer.parameters, layout: trainer.layout, lora: lora, baseModel: baseModel,
                                  backend: backend, to: directory)
        case .full:
            try ModelDirectory.write(config: trainer.model.config, weights: trainer.weights, backend: backend, to: directory)
            guard let baseDirectory else { return }
            for name in ["tokenizer.json", "tokenizer_config.json", "generation_config.json"] {
                let source = baseDirectory.appendingPathComponent(name), target = directory.appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: source.path) else { continue }
                if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
                try FileManager.default.copyItem(at: source, to: target)
            }
        }
    }
}
