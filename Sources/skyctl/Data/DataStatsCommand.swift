import ArgumentParser
import Foundation
import SkyCore
import SkyData

/// `skyctl data stats FILE`: sample count, tokens, steps and keywords per sample, answer-format coverage.
struct DataStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Describe a dataset file.")

    @Argument(help: "Dataset (JSON list or JSONL).") var file: String
    @Option(help: "Step segmenter: blankLines or reflectionCues.") var segmenter: String = "blankLines"
    @Option(help: "Input format: auto, sharegpt, messages, promptCompletion.") var format: String = "auto"
    @Flag(help: "Skip malformed records and report the count.") var skipInvalid = false

    func run() throws {
        let setting = PerturbSpec.Segmenter(kind: segmenter)
        if let issue = setting.validate(at: "--segmenter").first { throw ValidationError(issue.description) }
        let statistics = try DatasetStatistics.collect(
            url: URL(fileURLWithPath: file), format: DatasetFormat(name: format),
            segmenter: StepSegmenters.make(setting), skipInvalid: skipInvalid
        )
        DataOutput.printJSON(statistics.json)
    }
}
