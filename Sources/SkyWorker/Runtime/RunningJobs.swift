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

/// The runs a worker has in hand, with their tasks, cancellation reasons and lease deadlines.
final class RunningJobs: Sendable {
    private struct Entry {
        var task: Task<Void, Never>?
        var reason: CancelReason?
        /// The earliest moment the database may count the run's lease as expired: the lease measured from when the
        /// claim or the last heartbeat that the database confirmed was sent, since the database starts it later.
        var leaseDeadline: ContinuousClock.Instant
    }

    private let entries = Mutex<[JobToken: Entry]>([:])

    var count: Int { entries.withLock { $0.count } }
    var tokens: [JobToken] { entries.withLock { Array($0.keys) } }

    func insert(_ token: JobToken, leaseDeadline: ContinuousClock.Instant) {
        entries.withLock { $0[token] = Entry(leaseDeadline: leaseDeadline) }
    }

    /// Moves the lease deadline of the runs the database confirmed (`held`) to `deadline`, never backwards: a
    /// heartbeat that took long must not undo a later one's renewal.
    func renew(_ held: Set<JobToken>, until deadline: ContinuousClock.Instant) {
        entries.withLock { entries in
            for token in held where entries[token] != nil {
                entries[token]!.leaseDeadline = max(entries[token]!.leaseDeadline, deadline)
            }
        }
    }

    /// Runs not yet cancelled whose lease deadline comes before `instant`.
    func leasesEnding(before instant: ContinuousClock.Instant) -> [JobToken] {
        entries.withLock { entries in
            entries.filter { $0.value.reason == nil && $0.value.leaseDeadline < instant }.map(\.key)
        }
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
