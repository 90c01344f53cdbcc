import Foundation
import SkyCore
import SkyStore
import SkyWorker

/// Publishes a train job's checkpoints as artifacts in the background, so a later attempt on any host resumes
/// from the newest; training hands over an archive and goes on without waiting for the upload.
///
/// Only the newest checkpoint artifact is kept: each upload deletes the job's older ones.
struct CheckpointUploads: Sendable {
    private let pending: AsyncStream<(file: URL, step: Int)>.Continuation
    private let uploader: Task<Void, Never>

    /// Starts the uploader for `context`'s job.
    init(context: JobContext) {
        let (stream, pending) = AsyncStream.makeStream(of: (file: URL, step: Int).self)
        self.pending = pending
        uploader = Task {
            for await (file, step) in stream {
                defer { try? FileManager.default.removeItem(at: file) }
                guard !Task.isCancelled else { continue }
                do {
                    // Raced against the run's cancellation: an upload whose connection died with the network (a
                    // partition) waits for an answer that never comes, and the worker's slot would stay taken for good.
                    try await DatabaseAvailability.withDeadline(seconds: Self.uploadSeconds) {
                        let artifact = try await context.publishArtifact(
                            kind: .checkpoint, name: "checkpoint-\(context.jobID)-step\(step).tar", file: file, mediaType: "application/x-tar",
                            metadata: .object(["step": .number(Double(step)), "attempt": .number(Double(context.attempt))]))
                        context.log("stored checkpoint of step \(step) as artifact \(artifact.id)")
                        for old in try await context.jobArtifacts(kind: .checkpoint) where old.id != artifact.id {
                            try await context.deleteJobArtifact(old.id)
                        }
                    }
                } catch {
                    // Training goes on: a lost checkpoint only means a retry redoes more steps.
                    context.log("could not store the checkpoint of step \(step): \(error)", level: "warning")
                }
            }
        }
    }

    /// Archives `checkpoint` (on the calling thread, before the next step can replace it) and queues its upload.
    func add(_ checkpoint: URL, step: Int) throws {
        let file = checkpoint.deletingLastPathComponent().appendingPathComponent("upload-step\(step)-\(UUID().uuidString).tar")
        try DirectoryArchive.write(directory: checkpoint, to: file)
        pending.yield((file, step))
    }

    /// Longest one checkpoint's upload may take (a multi-GB checkpoint over a slow link), after which it is given up on.
    static let uploadSeconds: Double = 1800

    /// How long a cancelled run still waits for its queued checkpoints: a drained worker's run keeps its progress for the
    /// next attempt, while an upload stuck on a dead connection (a partition) cannot hold the worker's slot for good.
    static let graceSeconds: Double = 20

    /// Waits until every queued checkpoint is stored (or given up on). A cancelled run (by its user, a drain, or a lease
    /// that ran out) waits `graceSeconds` more at most, then abandons what is still queued or in flight.
    func finish() async {
        pending.finish()
        await withTaskCancellationHandler {
            await uploader.value
        } onCancel: { [uploader] in
            Task {
                try? await Task.sleep(for: .seconds(Self.graceSeconds))
                uploader.cancel()
            }
        }
    }
}
