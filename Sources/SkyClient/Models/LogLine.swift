public import Foundation
public import SkyCore

/// One line of a job's log; `id` is its cursor.
public struct LogLine: Codable, Sendable, Hashable, Identifiable {
    public var id: String
    public var attempt: Int
    public var at: Date
    public var level: String
    public var message: String
}

/// A page of log lines and the job's state when it was read.
public struct LogPage: Codable, Sendable, Hashable {
    public var lines: [LogLine]
    /// Pass back as `cursor` for later lines.
    public var nextCursor: String?
    public var jobState: JobState
}
