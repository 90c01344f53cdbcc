/// A queue with counts by state, its oldest queued job's age, and whether it is paused.
public struct Queue: Codable, Sendable, Hashable {
    public var name: String
    public var counts: StateCounts
    public var oldestQueuedAgeSeconds: Double?
    public var paused: Bool
}
