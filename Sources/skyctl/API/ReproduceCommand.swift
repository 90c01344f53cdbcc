import ArgumentParser
import Foundation
import SkyClient
import SkyCore
import SkyJobs

/// `skyctl reproduce JOB [--with JOB]`: rerun a job from its stored spec and inputs and check the outputs bit for bit.
struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Rerun a succeeded job from its stored spec and inputs; report whether its outputs repeat bit for bit.",
        discussion: """
        The rerun is a new job with the same kind, spec, dependencies (so the same input artifacts), queue and \
        requirements, outside any experiment (so it never replaces a table cell), tagged reproduce-of:JOB. Compared: \
        every output artifact by SHA-256 (for archives, the first file and byte that differ), every metric series \
        step by step (loss, learning rate, gradient norm, accuracies; timings left out), and every eval sample's \
        output and verdict. The report names the first difference and the numerics each side ran on (OpenBLAS \
        kernel family and threads, or GPU): results repeat per machine type, not across kernel families. --with \
        compares two existing jobs without running anything. Exit status 0 when identical, 1 when not.
        """)

    @Argument(help: "The job to reproduce.") var job: Int64
    @Option(name: .customLong("with"), help: "Compare with this existing job instead of running a new one.") var other: Int64?
    @Option(help: "Queue for the rerun (default: the original's).") var queue: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report: ReproductionReport = try await connection.withClient { client in
            let original = try await client.job(job)
            guard original.state == .succeeded else {
                throw CLIFailure("job \(job) is \(original.state.rawValue); only a succeeded job's outputs can be reproduced", code: 65)
            }
            let copy: Job
            if let other {
                copy = try await client.job(other)
                guard copy.kind == original.kind else {
                    throw CLIFailure("job \(other) is a \(copy.kind.rawValue) job, job \(job) a \(original.kind.rawValue) job", code: 65)
                }
            } else {
                let rerun = try await client.submit(NewJob(
                    kind: original.kind, spec: original.spec, name: "reproduce \(job)", queue: queue ?? original.queue,
                    maxAttempts: original.maxAttempts, requirements: original.requirements, dependsOn: original.dependsOn,
                    tags: ["reproduce-of:\(job)"]))
                FileHandle.standardError.write(Data("rerunning job \(job) as job \(rerun.id)\n".utf8))
                copy = try await JobWait.finished(rerun.id, client: client)
            }
            guard copy.state == .succeeded else { throw JobWait.failure(copy) }
            return try await Self.compare(original, copy, client: client)
        }
        if output.json { try Output.json(report) } else { print(report.render()) }
        if !report.identical { throw ExitCode(1) }
    }

    /// Compares the two jobs' artifacts, metric series and eval samples.
    static func compare(_ original: Job, _ copy: Job, client: APIClient) async throws -> ReproductionReport {
        var report = ReproductionReport(original: original.id, copy: copy.id, kind: original.kind.rawValue)
        report.numerics = [numerics(original), numerics(copy)]

        let (left, right) = (try await client.jobArtifacts(original.id), try await client.jobArtifacts(copy.id))
        // Checkpoints are written on a timer and pruned: only what a job produces as its output is compared.
        let outputs = { (artifacts: [Artifact]) in artifacts.filter { $0.kind != .checkpoint } }
        let (a, b) = (outputs(left), outputs(right))
        if a.count != b.count { report.problems.append("job \(original.id) produced \(a.count) artifacts, job \(copy.id) \(b.count)") }
        for (x, y) in zip(a, b) {
            var match = ReproductionReport.ArtifactMatch(kind: x.kind.rawValue, originalSHA256: x.sha256, copySHA256: y.sha256)
            if !match.identical && x.mediaType == "application/x-tar" {
                match.firstDifference = try await firstDifference(x.id, y.id, client: client)
            }
            report.artifacts.append(match)
        }

        let keys = Set(try await client.latestMetrics(original.id).map(\.key)).union(try await client.latestMetrics(copy.id).map(\.key))
        for key in keys.sorted() where !isTiming(key) {
            let (x, y) = (try await client.metricSeries(original.id, key: key), try await client.metricSeries(copy.id, key: key))
            report.metrics.append(ReproductionReport.SeriesMatch(
                key: key, original: finalAttempt(x.points), copy: finalAttempt(y.points)))
        }

        let (runsA, runsB) = (try await client.evalRuns(job: original.id), try await client.evalRuns(job: copy.id))
        for run in runsA {
            guard let twin = runsB.first(where: { $0.benchmark == run.benchmark }) else {
                report.problems.append("job \(copy.id) has no eval run on \(run.benchmark)")
                continue
            }
            let (samplesA, samplesB) = (try await client.evalVerdicts(run: run.id), try await client.evalVerdicts(run: twin.id))
            report.evalRuns.append(ReproductionReport.RunMatch(
                benchmark: run.benchmark, originalRun: run.id, copyRun: twin.id, samples: max(samplesA.count, samplesB.count),
                accuracyOriginal: run.accuracy, accuracyCopy: twin.accuracy,
                first: ReproductionReport.SampleDifference.first(samplesA, samplesB)))
        }
        for run in runsB where !runsA.contains(where: { $0.benchmark == run.benchmark }) {
            report.problems.append("job \(original.id) has no eval run on \(run.benchmark)")
        }
        return report
    }

    /// "OpenBLAS 0.3.21 Zen, 1 thread" from the job's result (`device` and the threads train and eval jobs record).
    static func numerics(_ job: Job) -> String? {
        guard let device = job.result?["device"] ?? job.result?["summary"]?["device"], let library = device["library"]?.stringValue,
              let kernels = device["kernels"]?.stringValue else { return nil }
        let threads = job.spec["threads"]?.numberValue.map { ", \(Int($0)) thread\($0 == 1 ? "" : "s")" } ?? ""
        return "\(library) \(kernels)\(threads) (\(device["name"]?.stringValue ?? "?"))"
    }

    /// Wall-clock series differ on every run by nature.
    static func isTiming(_ key: String) -> Bool {
        key.hasSuffix("_s") || key.contains("per_s") || key.contains("seconds") || key.contains("memory")
    }

    /// The points of the attempt that finished the job (a retried job's earlier attempts are not its result).
    static func finalAttempt(_ points: [MetricPoint]) -> [(step: Int, value: Double)] {
        let last = points.map(\.attempt).max()
        return points.filter { $0.attempt == last }.sorted { $0.step < $1.step }.map { ($0.step, $0.value) }
    }

    /// For two archives that differ: the first member (in name order) whose bytes differ, and at which byte.
    static func firstDifference(_ a: Int64, _ b: Int64, client: APIClient) async throws -> String? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("sky-reproduce-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        var trees: [URL] = []
        for (index, id) in [a, b].enumerated() {
            let archive = scratch.appendingPathComponent("\(index).tar"), tree = scratch.appendingPathComponent("\(index)")
            _ = try await client.downloadArtifact(id, to: archive)
            try DirectoryArchive.extract(archive, into: tree)
            trees.append(tree)
        }
        let names = Set(trees.flatMap { FileManager.default.subpaths(atPath: $0.path) ?? [] }).sorted()
        for name in names {
            let (x, y) = (FileManager.default.contents(atPath: trees[0].appendingPathComponent(name).path),
                          FileManager.default.contents(atPath: trees[1].appendingPathComponent(name).path))
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: trees[0].appendingPathComponent(name).path, isDirectory: &isDirectory),
               isDirectory.boolValue { continue }
            guard let x, let y else { return "\(name) (only in one of them)" }
            if let offset = TextDifference.firstOffset(x, y) { return "\(name) at byte \(offset) of \(x.count)" }
        }
        return nil
    }
}
