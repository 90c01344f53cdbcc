/// Where a job is in its life. Mirrors the CHECK constraint on `jobs.state`.
///
/// Who moves jobs in and out of each state:
/// - `waiting`: the submitter (dependencies unfinished); left when the last dependency succeeds (→ queued)
///   or one fails (→ cancelled).
/// - `queued`: the submitter or a finished dependency; left when a worker claims it or it is cancelled.
/// - `running`: a worker's claim; left by that worker (succeeded, failed, retry → queued, handed back → queued,
///   cancelled) or by another worker's claim after the lease expired.
/// - `succeeded`, `failed`, `cancelled`: final; only an explicit retry leaves them.
public enum JobState: String, Sendable, Codable, CaseIterable, Hashable {
    case waiting, queued, running, succeeded, failed, cancelled

    /// Whether no worker will touch the job again without an explicit retry.
    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .cancelled: true
        case .waiting, .queued, .running: false
        }
    }
}
