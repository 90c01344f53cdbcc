import ArgumentParser
import Foundation
import SkyCore
import SkyData

/// `skyctl data stats FILE`: sample count, tokens, steps and keywords per sample, answer-format coverage.
struct DataStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Describe a dataset file.",
        discussion: """
        With --tokenizer, every sample is rendered as ChatML (system, user and assistant turns) and tokenized as \
        training does: tokens per sample and assistant (label) tokens per sample. Without it, only approximate \
        counts (letter runs, digit runs and symbols) are shown.
        """
    )

    @Argument(help: "Dataset (JSON list or JSONL).") var file: String
    @Option(help: "tokenizer.json, or a model directory holding one, for real token counts.") var tokenizer: String?
    @Option(help: "Step segmenter: blankLines or reflectionCues.") var segmenter: String = "blankLines"
    @Option(help: "Input format: auto, sharegpt, messages, promptCompletion.") var format: String = "auto"
    @Flag(help: "Skip malformed records and report the count.") var skipInvalid = false
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let setting = PerturbSpec.Segmenter(kind: segmenter)
        if let issue = setting.validate(at: "--segmenter").first { throw ValidationError(issue.description) }
        let counter = try tokenizer.map(ChatTokenCounter.init(path:))
        let statistics = try DatasetStatistics.collect(
            url: URL(fileURLWithPath: file), format: DatasetFormat(name: format),
            segmenter: StepSegmenters.make(setting), skipInvalid: skipInvalid, tokens: counter
        )
        if json { DataOutput.printJSON(statistics.json) } else { print(statistics.text) }
    }
}
