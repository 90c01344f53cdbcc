public import Foundation
public import SkyCore

/// One state change of a job.
public struct JobEvent: Codable, Sendable, Hashable {
    public var attempt: Int
    public var from: JobState?
    public var to: JobState
    public var at: Date
    public var workerId: String?
    public var reason: String?
}
