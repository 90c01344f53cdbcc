import Foundation
import SkyCore
import SkyData

/// Writes the records a `synthetic` dataset source names, deterministically: the same settings give the same bytes.
enum SyntheticDatasets {
    /// Writes `source`'s records to `url` as ShareGPT JSONL.
    static func write(_ source: SyntheticDatasetSource, to url: URL) throws {
        let generator = SyntheticTaskGenerator(seed: source.seed, includesSystemPrompt: source.systemPrompt)
        var writer = try DatasetWriter(url: url, format: .sharegpt, layout: .jsonl)
        for index in 0..<source.count {
            let problem = generator.trainingProblem(index)
            try writer.write(source.demonstrations == "short"
                ? generator.shortDemonstration(problem) : generator.longDemonstration(problem, index: index))
        }
        _ = try writer.finish()
    }

    /// The settings as a dataset manifest's `source` records them.
    static func json(_ source: SyntheticDatasetSource) -> JSONValue {
        .object([
            "generator": .string("synthetic-counting"), "seed": .string(String(source.seed)), "count": .number(Double(source.count)),
            "demonstrations": .string(source.demonstrations), "systemPrompt": .bool(source.systemPrompt),
        ])
    }
}
