import ArgumentParser
import Foundation
import SkyCore
import SkyData

/// `skyctl data convert`: rewrites a dataset in another format (a perturb run with no perturbations).
struct DataConvertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert", abstract: "Convert between Sky-T1/ShareGPT, messages and prompt/completion formats."
    )

    @Argument(help: "Input dataset (JSON list or JSONL).") var input: String
    @Option(name: .shortAndLong, help: "Output file (.json writes a JSON list, anything else JSONL).") var output: String
    @Option(help: "Output format: sharegpt, messages, promptCompletion.") var to: String = "sharegpt"
    @Option(help: "Input format: auto, sharegpt, messages, promptCompletion.") var from: String = "auto"
    @Flag(help: "Drop repeated questions.") var dedupe = false
    @Option(help: "Drop records whose FIELD is present and false.") var correctnessField: String?
    @Flag(help: "Skip malformed records and report the count.") var skipInvalid = false

    func run() async throws {
        let spec = PerturbSpec(
            dataset: .init(path: input), inputFormat: from, outputFormat: to, dedupe: dedupe,
            correctnessField: correctnessField, skipInvalid: skipInvalid
        )
        let issues = spec.validate()
        guard issues.isEmpty else { throw ValidationError(SpecValidationError(kind: "convert", issues: issues).description) }
        let result = try await PerturbationPipeline(spec: spec).run(input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output))
        for error in result.invalidRecords.prefix(10) { DataOutput.note("skipped \(error)") }
        DataOutput.printJSON(.object(result.manifest.records.mapValues { .number(Double($0)) }))
    }
}
