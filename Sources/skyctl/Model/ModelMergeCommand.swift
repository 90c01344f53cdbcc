import ArgumentParser
import Foundation
import SkyModel
import SkyTensor

/// `skyctl model merge`: fold a PEFT LoRA adapter into its base model, writing a full model directory.
struct ModelMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge a LoRA adapter into its base model (W' = W + s·B·A) and write a Hugging Face model directory.",
        discussion: "The output keeps the base checkpoint's dtype and copies config.json, generation_config.json and the "
            + "tokenizer files. The adapter must be plain PEFT LoRA whose every tensor fits the model."
    )

    @Option(help: "Base model directory (Hugging Face format).") var model: String
    @Option(help: "PEFT adapter directory (adapter_config.json, adapter_model.safetensors).") var adapter: String
    @Option(help: "Output directory; must be empty or absent unless --force.") var output: String
    @Flag(help: "Write into a non-empty output directory, replacing the model files there.") var force = false
    @Option(help: "CPU threads (default: SKY_NUM_THREADS or the core count).") var threads: Int?

    func run() throws {
        let out = URL(fileURLWithPath: output)
        let summary: ModelMerge.Summary
        do {
            summary = try ModelMerge.merge(model: URL(fileURLWithPath: model), adapter: URL(fileURLWithPath: adapter), output: out,
                                           force: force, backend: BackendSelection.host(threads: threads))
        } catch let error as LoRAAdapterError {
            throw ModelCLIError("\(adapter): \(error)")
        }
        print("wrote \(out.path): \(summary.mergedProjections) projections merged, \(summary.dtype.rawValue), "
            + "copied \(summary.copiedFiles.joined(separator: ", "))")
        print("sha256 \(try DirectoryDigest.model(out))")
    }
}
