public import Foundation

/// A worker as registered: where it runs, what it offers, and whether it is alive.
public struct WorkerRecord: Sendable, Hashable {
    public var id: String
    public var host: String
    public var pid: Int
    public var version: String
    public var backend: String
    public var memoryMB: Int
    public var labels: [String]
    public var queues: [String]
    public var kinds: [String]
    public var slots: Int
    public var slotsInUse: Int
    public var runningJobs: [Int64]
    public var startedAt: Date
    public var heartbeatAt: Date
    public var stoppedAt: Date?
}
