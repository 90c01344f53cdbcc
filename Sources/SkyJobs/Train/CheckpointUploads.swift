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
                do {
                    let artifact = try await context.publishArtifact(
                        kind: .checkpoint, name: "checkpoint-\(context.jobID)-step\(step).tar", file: file, mediaType: "application/x-tar",
                        metadata: .object(["step": .number(Double(step)), "attempt": .number(Double(context.attempt))]))
                    context.log("stored checkpoint of step \(step) as artifact \(artifact.id)")
                    for old in try await context.jobArtifacts(kind: .checkpoint) where old.id != artifact.id {
                        try await context.deleteJobArtifact(old.id)
                    }
                } catch {
                    // Training goes on: a lost checkpoint only means a retry redoes more steps.
                    context.log("could not store the checkpoint of step \(step): \(error)", level: "warning")
                }
                try? FileManager.default.removeItem(at: file)
            }
        }
    }

    /// Archives `checkpoint` (on the calling thread, before the next step can replace it) and queues its upload.
    func add(_ checkpoint: URL, step: Int) throws {
        let file = checkpoint.deletingLastPathComponent().appendingPathComponent("upload-step\(step)-\(UUID().uuidString).tar")
        try DirectoryArchive.write(directory: checkpoint, to: file)
        pending.yield((file, step))
    }

    /// Waits until every queued checkpoint is stored (or given up on).
    func finish() async {
        pending.finish()
        await uploader.value
    }
}
