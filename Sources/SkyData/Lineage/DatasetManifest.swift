public import Foundation
public import SkyCore

/// The lineage every dataset artifact carries: where it came from, what was done to it, and the outcome.
///
/// Written next to the dataset as `<name>.manifest.json`, with sorted keys and no timestamps so the
/// same input, spec and seed give the same manifest bytes.
public struct DatasetManifest: Sendable, Hashable {
    /// SkyData's version.
    public var skyVersion = SkyDataVersion.current
    /// SHA-256 of the input file's bytes.
    public var sourceSHA256: String
    /// Size of the input file.
    public var sourceBytes: Int64
    /// SHA-256 of the output file's bytes.
    public var outputSHA256: String
    /// Output format and layout.
    public var outputFormat: DatasetFormat
    /// Output layout.
    public var outputLayout: DatasetLayout
    /// The normalised spec (perturbations in application order, segmenter, filters).
    public var spec: JSONValue
    /// The seed every random choice derives from.
    public var seed: UInt64
    /// Counts of records read, skipped, dropped and written.
    public var records: [String: Int]
    /// Totals per perturbation, in application order.
    public var statistics: [PerturbationStatistics]

    /// Creates a manifest.
    public init(
        sourceSHA256: String, sourceBytes: Int64, outputSHA256: String, outputFormat: DatasetFormat,
        outputLayout: DatasetLayout, spec: JSONValue, seed: UInt64, records: [String: Int], statistics: [PerturbationStatistics]
    ) {
        self.sourceSHA256 = sourceSHA256
        self.sourceBytes = sourceBytes
        self.outputSHA256 = outputSHA256
        self.outputFormat = outputFormat
        self.outputLayout = outputLayout
        self.spec = spec
        self.seed = seed
        self.records = records
        self.statistics = statistics
    }

    /// The manifest as JSON; the seed is a string because JSON numbers lose 64-bit precision.
    public var json: JSONValue {
        .object([
            "skyVersion": .string(skyVersion),
            "source": .object(["sha256": .string(sourceSHA256), "bytes": .number(Double(sourceBytes))]),
            "output": .object([
                "sha256": .string(outputSHA256), "format": .string(outputFormat.rawValue), "layout": .string(outputLayout.rawValue),
            ]),
            "spec": spec,
            "seed": .string(String(seed)),
            "records": .object(records.mapValues { .number(Double($0)) }),
            "statistics": .array(statistics.map(\.json)),
        ])
    }

    /// Where the manifest of `dataset` lives.
    public static func url(for dataset: URL) -> URL {
        dataset.deletingLastPathComponent().appendingPathComponent(dataset.lastPathComponent + ".manifest.json")
    }

    /// Writes the manifest (sorted keys, trailing newline).
    public func write(to url: URL) throws {
        var writer = JSONWriter()
        writer.write(json)
        try Data(writer.bytes + [0x0A]).write(to: url)
    }
}
