import ArgumentParser
import Foundation
import SkyCore
import SkyData

/// `skyctl data perturb`: runs a PerturbSpec on local files, exactly as a perturb job would.
struct DataPerturbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perturb",
        abstract: "Apply perturbations to a dataset file; writes the output and <output>.manifest.json.",
        discussion: """
        Perturbations apply in the order given, e.g. `--perturb shuffle:0.33 --perturb corrupt_digits:0.2`.
        Names: wrong_answer, corrupt_digits, remove_keywords, shuffle, delete, insert. A --spec file
        (PerturbSpec JSON) may be given instead; command-line options then override its fields.
        """
    )

    @Argument(help: "Input dataset (JSON list or JSONL).") var input: String
    @Option(name: .shortAndLong, help: "Output file (.json writes a JSON list, anything else JSONL).") var output: String
    @Option(name: .customLong("spec"), help: "PerturbSpec JSON file.") var specFile: String?
    @Option(name: .customLong("perturb"), help: "NAME[:RATIO], repeatable, applied in order.") var perturbations: [String] = []
    @Option(help: "Seed of every random choice.") var seed: UInt64?
    @Option(help: "Step segmenter: blankLines or reflectionCues.") var segmenter: String?
    @Option(help: "Input format: auto, sharegpt, messages, promptCompletion.") var inputFormat: String?
    @Option(help: "Output format: sharegpt, messages, promptCompletion.") var outputFormat: String?
    @Flag(help: "Drop repeated questions.") var dedupe = false
    @Option(help: "Drop records whose FIELD is present and false.") var correctnessField: String?
    @Flag(help: "Skip malformed records and report the count.") var skipInvalid = false
    @Option(help: "Write per-sample statistics as JSONL here.") var sampleStats: String?

    func run() async throws {
        let spec = try loadSpec()
        let issues = spec.validate()
        guard issues.isEmpty else {
            throw ValidationError(SpecValidationError(kind: "perturb", issues: issues).description)
        }
        let started = Date()
        var lastNote = Date.distantPast
        let result = try await PerturbationPipeline(spec: spec).run(
            input: URL(fileURLWithPath: input), output: URL(fileURLWithPath: output),
            sampleStatistics: sampleStats.map { URL(fileURLWithPath: $0) }
        ) { progress in
            guard Date().timeIntervalSince(lastNote) > 2 else { return }
            lastNote = Date()
            let percent = progress.totalBytes > 0 ? 100 * Double(progress.bytesRead) / Double(progress.totalBytes) : 0
            DataOutput.note(String(format: "pass %d: %d records, %.0f%%", progress.pass, progress.recordsRead, percent))
        }
        for error in result.invalidRecords.prefix(10) { DataOutput.note("skipped \(error)") }
        let seconds = Date().timeIntervalSince(started)
        let read = result.manifest.records["read"] ?? 0
        DataOutput.note(String(format: "%d records in %.1f s (%.0f records/s)", read, seconds, Double(read) / max(seconds, 1e-9)))
        for statistics in result.manifest.statistics { DataOutput.note(statistics.summary) }
        DataOutput.printJSON(result.manifest.json)
    }

    private func loadSpec() throws -> PerturbSpec {
        var spec: PerturbSpec
        if let path = specFile {
            do {
                spec = try PerturbSpec.decodeValidated(from: Data(contentsOf: URL(fileURLWithPath: path)))
            } catch let error as SpecValidationError {
                throw ValidationError(error.description)
            }
        } else {
            spec = PerturbSpec(dataset: .init(path: input))
        }
        spec.dataset = .init(path: input)
        if !perturbations.isEmpty { spec.perturbations = try perturbations.map(Self.parsePerturbation) }
        if let seed { spec.seed = seed }
        if let segmenter { spec.segmenter = .init(kind: segmenter) }
        if let inputFormat { spec.inputFormat = inputFormat }
        if let outputFormat { spec.outputFormat = outputFormat }
        if dedupe { spec.dedupe = true }
        if let correctnessField { spec.correctnessField = correctnessField }
        if skipInvalid { spec.skipInvalid = true }
        return spec
    }

    static func parsePerturbation(_ text: String) throws -> PerturbSpec.Perturbation {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard let name = parts.first else { throw ValidationError("empty --perturb") }
        var ratio = 1.0
        if parts.count == 2 {
            guard let value = Double(parts[1]) else { throw ValidationError("--perturb \(text): ratio must be a number") }
            ratio = value > 1 ? value / 100 : value
        }
        return PerturbSpec.Perturbation(type: name, ratio: ratio)
    }
}
