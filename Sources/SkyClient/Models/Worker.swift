public import Foundation

/// A registered worker: capabilities, slots in use, heartbeat and running jobs.
public struct Worker: Codable, Sendable, Hashable, Identifiable {
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
    /// Not stopped and heartbeat within the last minute.
    public var alive: Bool
}
