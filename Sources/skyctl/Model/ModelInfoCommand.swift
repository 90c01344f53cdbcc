import ArgumentParser
import Foundation
import SkyModel

/// `skyctl model info`: what a model directory holds, read from headers only.
struct ModelInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a model's architecture, sizes, parameter count, dtype and tokenizer."
    )

    @Argument(help: "Model directory (Hugging Face format).") var directory: String
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func run() throws {
        let summary = try ModelSummary(directory: URL(fileURLWithPath: directory))
        if json {
            let data = try JSONSerialization.data(withJSONObject: summary.jsonObject, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            summary.lines.forEach { print($0) }
        }
    }
}
