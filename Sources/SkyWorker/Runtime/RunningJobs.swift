import SkyStore
import Synchronization

/// Why a run was cancelled, which decides what is written back.
enum CancelReason: Sendable, Equatable {
    /// A user asked; the job is recorded cancelled.
    case requested
    /// Another worker may own the job now; nothing is written.
    case lostLease
    /// The worker is stopping and the grace period ran out; the job is handed back.
    case shutdown
}

/// The runs a worker has in hand, with their tasks and cancellation reasons.
final class RunningJobs: Sendable {
    private struct Entry {
        var task: Task<Void, Never>?
        var reason: CancelReason?
    }

    private let entries = Mutex<[JobToken: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }
    var tokens: [JobToken] { entries.withLock { Array($0.keys) } }

    func insert(_ token: JobToken) {
        entries.withLock { $0[token] = Entry() }
    }

    /// Attaches the run's task; cancels it at once if cancellation came first.
    func attach(_ task: Task<Void, Never>, to token: JobToken) {
        let cancelNow = entries.withLock { entries -> Bool in
            entries[token]?.task = task
            return entries[token]?.reason != nil
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels a run, keeping the first reason given.
    func cancel(_ token: JobToken, reason: CancelReason) {
        let task = entries.withLock { entries -> Task<Void, Never>? in
            guard entries[token] != nil else { return nil }
            if entries[token]!.reason == nil { entries[token]!.reason = reason }
            return entries[token]!.task
        }
        task?.cancel()
    }

    /// Cancels the run of job `id`, whatever its attempt (NOTIFY carries only the id).
    func cancel(jobID id: Int64, reason: CancelReason) {
        for token in tokens where token.id == id { cancel(token, reason: reason) }
    }

    func cancelAll(reason: CancelReason) {
        for token in tokens { cancel(token, reason: reason) }
    }

    /// Why the run was cancelled, if it was, without removing it.
    func withReason(_ token: JobToken) -> CancelReason? {
        entries.withLock { $0[token]?.reason }
    }

    /// Removes a finished run and returns why it was cancelled, if it was.
    func remove(_ token: JobToken) -> CancelReason? {
        entries.withLock { $0.removeValue(forKey: token)?.reason }
    }
}
