public import Foundation
public import SkyCore

/// Which jobs a listing returns; unset fields do not filter.
public struct JobFilter: Sendable, Hashable {
    /// Any of these states.
    public var states: [JobState]?
    public var kind: JobKind?
    public var queue: String?
    public var experiment: String?
    public var tag: String?
    public var createdAfter: Date?
    public var createdBefore: Date?

    /// Creates a filter.
    public init(states: [JobState]? = nil, kind: JobKind? = nil, queue: String? = nil, experiment: String? = nil,
                tag: String? = nil, createdAfter: Date? = nil, createdBefore: Date? = nil) {
        self.states = states
        self.kind = kind
        self.queue = queue
        self.experiment = experiment
        self.tag = tag
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
    }

    /// The query items of GET /v1/jobs.
    var queryItems: [(String, String?)] {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return [
            ("state", states.map { $0.map(\.rawValue).joined(separator: ",") }), ("kind", kind?.rawValue), ("queue", queue),
            ("experiment", experiment), ("tag", tag), ("createdAfter", createdAfter?.formatted(time)),
            ("createdBefore", createdBefore?.formatted(time)),
        ]
    }
}
