public import Foundation
public import SkyCore
public import SkyStore

/// What an executor gets for one run: its job, typed spec, logs, metrics, progress, scratch space and inputs.
///
/// Logs, metrics and progress are buffered and written in batches under the run's fencing token, so a
/// chatty executor costs one round trip per flush, not one per line.
public struct JobContext: Sendable {
    /// The claimed job (id, attempt, spec, experiment…).
    public let job: ClaimedJob
    /// A directory private to this run, removed when the run ends; made by `makeScratchDirectory()`.
    public let scratchDirectory: URL
    let telemetry: TelemetryBuffer
    let queue: JobQueue
    let artifacts: any ArtifactStore

    init(job: ClaimedJob, scratchDirectory: URL, telemetry: TelemetryBuffer, queue: JobQueue, artifacts: any ArtifactStore) {
        self.job = job
        self.scratchDirectory = scratchDirectory
        self.telemetry = telemetry
        self.queue = queue
        self.artifacts = artifacts
    }

    /// The job's id.
    public var jobID: Int64 { job.id }
    /// This run's attempt number (the fencing token).
    public var attempt: Int { job.attempt }
    /// Attempts used so far, this one included.
    public var attemptsUsed: Int { job.attemptsUsed }
    /// The experiment the job belongs to, if any.
    public var experiment: String? { job.experiment }

    /// The spec decoded as `type`; an undecodable or invalid spec is a permanent failure.
    public func spec<Spec: JobSpec>(as type: Spec.Type) throws -> Spec {
        do {
            return try Spec.decodeValidated(from: job.spec.encoded())
        } catch {
            throw PermanentJobError(error.description)
        }
    }

    /// Creates the run's scratch directory (on first call) and returns it.
    public func makeScratchDirectory() throws -> URL {
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)
        return scratchDirectory
    }

    /// Where this job's eval results go; every write names `job.token`, so a lost lease stops them.
    public var evals: EvalStore { queue.evalStore }

    /// Another job's record, for lineage (which train job made an adapter, which perturb job made its data).
    public func job(_ id: Int64) async throws -> JobRecord { try await queue.job(id) }

    /// Writes a log line for this run.
    public func log(_ message: String, level: String = "info") {
        telemetry.add(log: JobLogLine(token: job.token, level: level, message: message))
    }

    /// Records one point of the metric series `key`.
    public func metric(_ key: String, step: Int, value: Double) {
        telemetry.add(metric: JobMetricPoint(token: job.token, key: key, step: step, value: value))
    }

    /// Reports how far the run is; only the latest report per flush is written.
    public func progress(_ fraction: Double, message: String? = nil) {
        telemetry.set(progress: JobProgress(token: job.token, fraction: min(1, max(0, fraction)), message: message))
    }

    /// The results of the jobs this one depends on, by job id.
    public func dependencyOutputs() async throws -> [Int64: JSONValue] {
        try await queue.dependencyOutputs(of: job.id)
    }

    /// Copies artifact `id` to `file`, verifying its size and SHA-256.
    public func downloadArtifact(_ id: Int64, to file: URL) async throws {
        do {
            try await artifacts.download(id, to: file)
        } catch ArtifactError.notFound(let id) {
            throw PermanentJobError("input artifact \(id) does not exist")
        }
    }

    /// Stores `file` as an artifact produced by this run (discarded if the run no longer holds its job).
    public func publishArtifact(kind: ArtifactKind, name: String, file: URL, mediaType: String = "application/octet-stream", metadata: JSONValue = .object([:])) async throws -> PublishedArtifact {
        let record = try await artifacts.store(
            NewArtifact(kind: kind, name: name, mediaType: mediaType, metadata: metadata, producedBy: job.token), file: file)
        return PublishedArtifact(id: record.id, sha256: record.sha256, sizeBytes: record.sizeBytes)
    }

    /// Artifacts of `kind` that any attempt of this job stored, newest first (a retry finds its predecessor's checkpoints).
    public func jobArtifacts(kind: ArtifactKind, limit: Int = 100) async throws -> [ArtifactRecord] {
        try await artifacts.list(kind: kind, jobID: job.id, limit: limit)
    }

    /// Deletes an artifact this job stored (an outdated checkpoint) while this run holds the job; another job's
    /// artifact is left alone.
    public func deleteJobArtifact(_ id: Int64) async throws {
        guard try await artifacts.record(id).producedBy?.id == job.id else {
            throw PermanentJobError("artifact \(id) was not produced by job \(job.id)")
        }
        try await artifacts.delete(id, heldBy: job.token)
    }

    /// Throws `CancellationError` if the run was cancelled (by a user, a lost lease, or shutdown).
    public func checkCancellation() throws {
        try Task.checkCancellation()
    }
}

/// An artifact a run stored: what dependents and users need to find and check it.
public struct PublishedArtifact: Sendable, Hashable {
    /// Its id in the artifact store.
    public var id: Int64
    /// Lower-case hex SHA-256 of its bytes.
    public var sha256: String
    /// Its size.
    public var sizeBytes: Int64
}
