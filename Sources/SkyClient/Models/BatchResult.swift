public import SkyCore

/// One job of a batch submission's answer, in request order.
public struct BatchResultItem: Codable, Sendable, Hashable {
    public var id: Int64
    public var state: JobState
    /// False when an idempotency key matched an existing job.
    public var created: Bool
}

struct BatchResult: Codable, Sendable {
    var jobs: [BatchResultItem]
}
