public import Foundation

/// Which jobs a listing returns; unset fields do not filter. Shared by the store's query and the HTTP client.
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
}
