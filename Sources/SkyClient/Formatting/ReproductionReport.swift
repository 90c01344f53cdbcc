public import Foundation

/// Whether a job's rerun reproduced it bit for bit, and where the two first differ: `skyctl reproduce`.
public struct ReproductionReport: Codable, Sendable, Hashable {
    /// The job reproduced and the rerun.
    public var original: Int64, copy: Int64
    /// The jobs' kind.
    public var kind: String
    /// Each output artifact, paired by kind and position.
    public var artifacts: [ArtifactMatch] = []
    /// Each metric series both jobs recorded (timings left out: they never repeat).
    public var metrics: [SeriesMatch] = []
    /// Each eval run, paired by benchmark.
    public var evalRuns: [RunMatch] = []
    /// What decides the last bits on each side ("OpenBLAS 0.3.21 Zen, 1 thread"), when the jobs recorded it.
    public var numerics: [String?] = [nil, nil]
    /// Something the jobs should have had in common and did not (a benchmark only one ran, an artifact missing).
    public var problems: [String] = []

    /// Creates an empty report for two jobs.
    public init(original: Int64, copy: Int64, kind: String) {
        self.original = original
        self.copy = copy
        self.kind = kind
    }

    /// Every artifact, series and sample equal, and nothing missing.
    public var identical: Bool {
        problems.isEmpty && artifacts.allSatisfy(\.identical) && metrics.allSatisfy { $0.firstStep == nil }
            && evalRuns.allSatisfy { $0.first == nil && $0.samples > 0 }
    }

    /// One output artifact of both jobs.
    public struct ArtifactMatch: Codable, Sendable, Hashable {
        public var kind: String
        public var originalSHA256: String, copySHA256: String
        /// When the hashes differ and both are archives: the first file that differs and the byte where it does.
        public var firstDifference: String?
        public var identical: Bool { originalSHA256 == copySHA256 }

        /// Creates a pair.
        public init(kind: String, originalSHA256: String, copySHA256: String, firstDifference: String? = nil) {
            self.kind = kind
            self.originalSHA256 = originalSHA256
            self.copySHA256 = copySHA256
            self.firstDifference = firstDifference
        }
    }

    /// One metric key of both jobs.
    public struct SeriesMatch: Codable, Sendable, Hashable {
        public var key: String
        /// Steps compared.
        public var points: Int
        /// The first step whose value differs (or that only one side has); nil when all are equal bit for bit.
        public var firstStep: Int?
        public var original: Double?, copy: Double?

        /// Compares two series by step; values must be equal bit for bit.
        public init(key: String, original: [(step: Int, value: Double)], copy: [(step: Int, value: Double)]) {
            self.key = key
            points = max(original.count, copy.count)
            for index in 0..<points {
                let a = index < original.count ? original[index] : nil, b = index < copy.count ? copy[index] : nil
                if a?.step != b?.step || a?.value.bitPattern != b?.value.bitPattern {
                    firstStep = a?.step ?? b?.step
                    self.original = a?.value
                    self.copy = b?.value
                    return
                }
            }
        }
    }

    /// One benchmark's run of both jobs.
    public struct RunMatch: Codable, Sendable, Hashable {
        public var benchmark: String
        public var originalRun: Int64, copyRun: Int64
        public var samples: Int
        public var accuracyOriginal: Double?, accuracyCopy: Double?
        /// The first sample (by problem, then index) whose output or verdict differs; nil when none does.
        public var first: SampleDifference?

        /// Creates a pair; `first` is found by `SampleDifference.first`.
        public init(benchmark: String, originalRun: Int64, copyRun: Int64, samples: Int, accuracyOriginal: Double?,
                    accuracyCopy: Double?, first: SampleDifference?) {
            self.benchmark = benchmark
            self.originalRun = originalRun
            self.copyRun = copyRun
            self.samples = samples
            self.accuracyOriginal = accuracyOriginal
            self.accuracyCopy = accuracyCopy
            self.first = first
        }
    }

    /// Where two runs' samples first part.
    public struct SampleDifference: Codable, Sendable, Hashable {
        public var problemId: String
        public var sampleIndex: Int
        /// The character where the outputs first differ; nil when the outputs are equal and only the verdicts differ.
        public var offset: Int?
        /// A few characters of each output from just before that point.
        public var original: String, copy: String

        /// The first difference between two runs' samples, paired by (problem, index); a sample only one run has
        /// counts as a difference.
        public static func first(_ a: [EvalVerdict], _ b: [EvalVerdict]) -> SampleDifference? {
            func key(_ v: EvalVerdict) -> String { "\(v.problemId)\u{1F}\(v.sampleIndex)" }
            let mine = Dictionary(a.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let other = Dictionary(b.map { (key($0), $0) }, uniquingKeysWith: { first, _ in first })
            let ordered = Set(mine.keys).union(other.keys).map { (mine[$0] ?? other[$0])! }
                .sorted { ($0.problemId, $0.sampleIndex) < ($1.problemId, $1.sampleIndex) }
            for sample in ordered {
                let (x, y) = (mine[key(sample)], other[key(sample)])
                guard let x, let y else {
                    return SampleDifference(problemId: sample.problemId, sampleIndex: sample.sampleIndex, offset: nil,
                                            original: x == nil ? "(missing)" : "(present)", copy: y == nil ? "(missing)" : "(present)")
                }
                if let offset = TextDifference.firstOffset(x.output ?? "", y.output ?? "") {
                    let (left, right) = TextDifference.snippets(x.output ?? "", y.output ?? "", at: offset)
                    return SampleDifference(problemId: x.problemId, sampleIndex: x.sampleIndex, offset: offset, original: left, copy: right)
                }
                if x.correct != y.correct {
                    return SampleDifference(problemId: x.problemId, sampleIndex: x.sampleIndex, offset: nil,
                                            original: x.correct ? "right" : "wrong", copy: y.correct ? "right" : "wrong")
                }
            }
            return nil
        }

        /// Creates a difference.
        public init(problemId: String, sampleIndex: Int, offset: Int?, original: String, copy: String) {
            self.problemId = problemId
            self.sampleIndex = sampleIndex
            self.offset = offset
            self.original = original
            self.copy = copy
        }
    }

    /// A few lines for people: the verdict first, then each artifact, series and run that differs.
    public func render() -> String {
        var lines: [String] = []
        let counts = "\(artifacts.count) artifact\(artifacts.count == 1 ? "" : "s"), \(metrics.count) metric series, "
            + "\(evalRuns.reduce(0) { $0 + $1.samples }) eval samples"
        lines.append(identical
            ? "job \(copy) reproduces job \(original) bit for bit (\(counts))"
            : "job \(copy) does NOT reproduce job \(original) (\(counts) compared)")
        for artifact in artifacts {
            lines.append(artifact.identical
                ? "  \(artifact.kind): identical, sha256 \(artifact.originalSHA256.prefix(16))"
                : "  \(artifact.kind): differs (sha256 \(artifact.originalSHA256.prefix(16)) vs \(artifact.copySHA256.prefix(16)))"
                    + (artifact.firstDifference.map { "; first in \($0)" } ?? ""))
        }
        for series in metrics where series.firstStep != nil {
            lines.append("  metric \(series.key): first differs at step \(series.firstStep!): "
                + "\(series.original.map { "\($0)" } ?? "none") vs \(series.copy.map { "\($0)" } ?? "none")")
        }
        let equalSeries = metrics.filter { $0.firstStep == nil }
        if !equalSeries.isEmpty {
            lines.append("  metrics equal at every step: \(equalSeries.map(\.key).sorted().joined(separator: ", "))")
        }
        for run in evalRuns {
            let accuracy = [run.accuracyOriginal, run.accuracyCopy].map { $0.map { String(format: "%.1f%%", $0 * 100) } ?? "-" }
            if let first = run.first {
                lines.append("  \(run.benchmark): runs \(run.originalRun) and \(run.copyRun) differ (\(accuracy[0]) vs \(accuracy[1])); first at "
                    + "problem \(first.problemId) sample \(first.sampleIndex)"
                    + (first.offset.map { ", character \($0): \"\(first.original)\" vs \"\(first.copy)\"" }
                        ?? ": \(first.original) vs \(first.copy)"))
            } else {
                lines.append("  \(run.benchmark): \(run.samples) samples identical, outputs and verdicts (\(accuracy[0]))")
            }
        }
        lines += problems.map { "  " + $0 }
        if let a = numerics[0], let b = numerics[1] {
            lines.append(a == b ? "  both ran on \(a)" : "  the original ran on \(a), the rerun on \(b): different numerics, "
                + "so last-bit differences are expected (results repeat per machine type, not everywhere)")
        }
        return lines.joined(separator: "\n")
    }
}

/// Locating the first difference between two texts or byte strings.
public enum TextDifference {
    /// The first character index where `a` and `b` differ (the shorter one's length when one is a prefix); nil when equal.
    public static func firstOffset(_ a: String, _ b: String) -> Int? {
        guard a != b else { return nil }
        var offset = 0
        var (x, y) = (a.makeIterator(), b.makeIterator())
        while true {
            let (p, q) = (x.next(), y.next())
            if p != q { return offset }
            offset += 1
        }
    }

    /// The first byte where `a` and `b` differ; nil when equal.
    public static func firstOffset(_ a: Data, _ b: Data) -> Int? {
        guard a != b else { return nil }
        for (offset, (x, y)) in zip(a, b).enumerated() where x != y { return offset }
        return min(a.count, b.count)
    }

    /// Up to `width` characters of each text from a little before `offset`, on one line.
    public static func snippets(_ a: String, _ b: String, at offset: Int, width: Int = 24) -> (String, String) {
        func cut(_ text: String) -> String {
            let start = text.index(text.startIndex, offsetBy: max(0, offset - 6), limitedBy: text.endIndex) ?? text.endIndex
            let end = text.index(start, offsetBy: width, limitedBy: text.endIndex) ?? text.endIndex
            return String(text[start..<end]).replacingOccurrences(of: "\n", with: "⏎")
        }
        return (cut(a), cut(b))
    }
}
