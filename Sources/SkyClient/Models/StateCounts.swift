public import SkyCore

/// Jobs in each state; states with none are 0.
public struct StateCounts: Codable, Sendable, Hashable {
    public var waiting: Int
    public var queued: Int
    public var running: Int
    public var succeeded: Int
    public var failed: Int
    public var cancelled: Int

    /// Creates counts, zero by default.
    public init(waiting: Int = 0, queued: Int = 0, running: Int = 0, succeeded: Int = 0, failed: Int = 0, cancelled: Int = 0) {
        self.waiting = waiting
        self.queued = queued
        self.running = running
        self.succeeded = succeeded
        self.failed = failed
        self.cancelled = cancelled
    }

    /// The count of `state`.
    public subscript(state: JobState) -> Int {
        switch state {
        case .waiting: waiting
        case .queued: queued
        case .running: running
        case .succeeded: succeeded
        case .failed: failed
        case .cancelled: cancelled
        }
    }

    /// Counts one more job in `state`.
    public mutating func add(_ state: JobState) {
        switch state {
        case .waiting: waiting += 1
        case .queued: queued += 1
        case .running: running += 1
        case .succeeded: succeeded += 1
        case .failed: failed += 1
        case .cancelled: cancelled += 1
        }
    }

    /// Every state's jobs together.
    public var total: Int { JobState.allCases.reduce(0) { $0 + self[$1] } }
}
