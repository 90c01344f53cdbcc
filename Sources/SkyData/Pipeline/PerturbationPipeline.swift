public import Foundation
public import SkyCore

/// Runs a `PerturbSpec` on files: streams records from an input to an output, writes the manifest,
/// and returns statistics. This is the entry point a perturb job executor calls.
///
/// Order per record: skip invalid (if allowed) → correctness filter → dedupe → perturbations in the
/// spec's order → write. Each perturbation draws from `SplitMix64(seed, stream: position, item: record index)`,
/// so results do not depend on other records or on chunking; only which samples `remove_keywords` and
/// `wrong_answer` change depends on the whole input, through the one cut-off a first pass finds
/// (`SampleSelection`). Cancellable: checks `Task.isCancelled` every `checkInterval` records and throws
/// `CancellationError`.
public struct PerturbationPipeline: Sendable {
    /// Where a run is, for progress bars and job progress.
    public struct Progress: Sendable, Hashable {
        /// Records read so far (valid ones).
        public var recordsRead: Int
        /// Records written so far.
        public var recordsWritten: Int
        /// Input bytes consumed.
        public var bytesRead: Int64
        /// Input size, for a fraction done.
        public var totalBytes: Int64
        /// 1 for the first pass (donor steps for `insert`, sample counts for `remove_keywords` and `wrong_answer`),
        /// 2 for the main pass (1 of 1 when no first pass is needed).
        public var pass: Int
    }

    /// What a run produced.
    public struct Result: Sendable {
        /// The manifest, also written next to the output.
        public var manifest: DatasetManifest
        /// The first malformed records skipped (with `skipInvalid`).
        public var invalidRecords: [DatasetError]
    }

    /// The spec to run.
    public let spec: PerturbSpec
    /// Records between cancellation checks and progress reports.
    public var checkInterval = 256

    /// Creates a pipeline for a validated spec.
    public init(spec: PerturbSpec) {
        self.spec = spec
    }

    /// Perturbs `input` into `output`; a trailing closure receives progress. `resolve` turns `wrongSamples` references into files (paths by default);
    /// `sampleStatistics`, when given, receives one JSON line per written record with its per-perturbation counters.
    public func run(
        input: URL, output: URL, layout: DatasetLayout? = nil, sampleStatistics: URL? = nil,
        progress: (Progress) -> Void = { _ in },
        resolve: (PerturbSpec.DatasetReference) throws -> URL = PerturbationPipeline.resolvePath
    ) async throws -> Result {
        let issues = spec.validate()
        if !issues.isEmpty { throw SpecValidationError(kind: PerturbSpec.kind.rawValue, issues: issues) }
        let inputFormat = DatasetFormat(name: spec.inputFormat)
        let outputFormat = DatasetFormat(name: spec.outputFormat) ?? .sharegpt
        let layout = layout ?? DatasetLayout(path: output.path)
        let totalBytes = (try? FileManager.default.attributesOfItem(atPath: input.path)[.size] as? NSNumber)?.int64Value ?? 0
        let plan = PerturbationPlan(perturbations: spec.perturbations, segmenter: spec.segmenter)
        let selected = plan.selectedPositions
        let passes = plan.needsStepPool || !selected.isEmpty ? 2 : 1

        var pool: StepPool?
        var selections: [Int: SampleSelection] = [:]
        if passes == 2 {
            var poolBuilder = plan.needsStepPool ? StepPool.Builder(seed: spec.seed, segmenter: plan.segmenter) : nil
            var selectionBuilders = selected.map { SampleSelection.Builder(ratio: plan.entries[$0].ratio, seed: spec.seed, position: $0) }
            // The same filter as the main pass, so N counts exactly the samples the perturbations will see.
            var filter = RecordFilter(correctnessField: spec.correctnessField, dedupe: spec.dedupe)
            var reader = try DatasetReader(url: input, format: inputFormat, skipInvalid: spec.skipInvalid)
            var count = 0
            while let entry = try reader.next() {
                poolBuilder?.add(entry.record, index: entry.index)
                if filter.check(entry.record) == .keep, entry.record.response != nil {
                    for i in selectionBuilders.indices { selectionBuilders[i].add(entry.index) }
                }
                count += 1
                if count % checkInterval == 0 {
                    try await checkpoint()
                    progress(Progress(recordsRead: count, recordsWritten: 0, bytesRead: reader.bytesRead, totalBytes: totalBytes, pass: 1))
                }
            }
            pool = poolBuilder?.build()
            for (position, builder) in zip(selected, selectionBuilders) { selections[position] = builder.build() }
        }
        let perturbations = try plan.build(pool: pool, selections: selections, resolve: resolve)
        var statistics = perturbations.map { PerturbationStatistics(name: $0.name, ratio: $0.ratio) }

        var reader = try DatasetReader(url: input, format: inputFormat, skipInvalid: spec.skipInvalid, hashing: true)
        var writer = try DatasetWriter(url: output, format: outputFormat, layout: layout)
        var sampleLog = try sampleStatistics.map { try DatasetWriter.Lines(url: $0) }
        var filter = RecordFilter(correctnessField: spec.correctnessField, dedupe: spec.dedupe)
        var read = 0
        var dropped: [RecordFilter.Verdict: Int] = [:]
        while let entry = try reader.next() {
            read += 1
            var record = entry.record
            let verdict = filter.check(record)
            if verdict != .keep {
                dropped[verdict, default: 0] += 1
            } else {
                var effects: [JSONValue] = []
                for (position, perturbation) in perturbations.enumerated() {
                    var rng = SplitMix64(seed: spec.seed, stream: UInt64(position), item: UInt64(entry.index))
                    let effect = perturbation.apply(to: &record, index: entry.index, rng: &rng)
                    statistics[position].add(effect)
                    if sampleLog != nil { effects.append(Self.json(effect, name: perturbation.name)) }
                }
                try writer.write(record)
                try sampleLog?.write(.object([
                    "index": .number(Double(entry.index)), "line": .number(Double(entry.line)), "perturbations": .array(effects),
                ]))
            }
            if read % checkInterval == 0 {
                try await checkpoint()
                progress(Progress(recordsRead: read, recordsWritten: writer.count, bytesRead: reader.bytesRead, totalBytes: totalBytes, pass: passes))
            }
        }
        let outputSHA = try writer.finish()
        try sampleLog?.finish()
        progress(Progress(recordsRead: read, recordsWritten: writer.count, bytesRead: reader.bytesRead, totalBytes: totalBytes, pass: passes))

        let manifest = DatasetManifest(
            sourceSHA256: reader.finalizeSHA256() ?? "", sourceBytes: reader.bytesRead, outputSHA256: outputSHA,
            outputFormat: outputFormat, outputLayout: layout, spec: try Self.normalised(spec), seed: spec.seed,
            records: [
                "read": read, "invalid": reader.invalidCount, "incorrect": dropped[.incorrect] ?? 0,
                "duplicates": dropped[.duplicate] ?? 0, "written": writer.count,
            ],
            statistics: statistics
        )
        try manifest.write(to: DatasetManifest.url(for: output))
        return Result(manifest: manifest, invalidRecords: reader.invalidRecords)
    }

    /// The default resolver: only `{"path": …}` references, relative to the working directory.
    public static func resolvePath(_ reference: PerturbSpec.DatasetReference) throws -> URL {
        guard let path = reference.path else {
            throw DatasetError(message: "only {\"path\": …} datasets can be read here; artifacts and job outputs need a worker")
        }
        return URL(fileURLWithPath: path)
    }

    private func checkpoint() async throws {
        try Task.checkCancellation()
        await Task.yield()
    }

    private static func json(_ effect: SampleEffect, name: String) -> JSONValue {
        var fields = effect.counters.mapValues { JSONValue.number(Double($0)) }
        fields["name"] = .string(name)
        fields["changed"] = .bool(effect.changed)
        return .object(fields)
    }

    private static func normalised(_ spec: PerturbSpec) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try JSONValue.parse(encoder.encode(spec))
    }
}
