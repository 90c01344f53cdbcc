import ArgumentParser
import Foundation
import SkyModel
import SkyTensor

/// `skyctl model init`: a randomly initialised model in Hugging Face format, the embedded default.
struct ModelInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a randomly initialised model (config.json, model.safetensors, tokenizer files).",
        discussion: "Presets (C width, F MLP width, L layers, query/key-value heads; V = the tokenizer's vocabulary):\n"
            + ModelPreset.all.map { "  " + $0.summary }.joined(separator: "\n")
            + "\nEmbeddings are tied. Weights ~ normal(0, 0.02), norms 1, biases 0; the same seed gives the same files."
    )

    @Option(help: "Architecture: qwen2 or llama.") var arch: String = "qwen2"
    @Option(help: "Size preset: \(ModelPreset.all.map(\.name).joined(separator: ", ")).") var preset: String = "tiny"
    @Option(help: "tokenizer.json to embed (see `skyctl model train-tokenizer`).") var vocab: String
    @Option(help: "Output directory (created if needed).") var out: String
    @Option(help: "Seed of the random weights.") var seed: UInt64 = 0
    @Option(help: "Stored element type: f32 or bf16.") var dtype: String = "f32"

    func validate() throws {
        _ = try choices()
    }

    /// The parsed --arch, --preset and --dtype, or a usage error naming the bad value.
    private func choices() throws -> (ModelConfig.ModelType, ModelPreset, SafetensorsDType) {
        guard let type = ModelConfig.ModelType(rawValue: arch.lowercased()) else {
            throw ValidationError("--arch '\(arch)' is not one of qwen2, llama")
        }
        guard let chosen = ModelPreset.named(preset) else {
            throw ValidationError("--preset '\(preset)' is not one of \(ModelPreset.all.map(\.name).joined(separator: ", "))")
        }
        switch dtype.lowercased() {
        case "f32", "float32": return (type, chosen, .f32)
        case "bf16", "bfloat16": return (type, chosen, .bf16)
        default: throw ValidationError("--dtype '\(dtype)' is not one of f32, bf16")
        }
    }

    func run() throws {
        let (type, chosen, storage) = try choices()
        let tokenizerURL = URL(fileURLWithPath: vocab)
        let tokenizerJSON: Data
        do { tokenizerJSON = try Data(contentsOf: tokenizerURL) } catch {
            throw ModelCLIError("\(tokenizerURL.path): cannot read tokenizer: \(error.localizedDescription)")
        }
        let directory = URL(fileURLWithPath: out)
        let config: ModelConfig
        do {
            config = try ModelDirectory.initialize(preset: chosen, modelType: type, tokenizerJSON: tokenizerJSON, seed: seed,
                                                   dtype: storage, to: directory, backend: BackendSelection.host())
        } catch let error as TokenizerError {
            throw ModelCLIError("\(tokenizerURL.path): \(error)")
        }
        print("wrote \(directory.path): \(type.rawValue) \(chosen.name), \(ParameterCountFormat.short(config.parameterCount)) parameters, "
            + "vocabulary \(config.vocabSize), \(storage.rawValue)")
    }
}
