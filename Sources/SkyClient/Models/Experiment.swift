public import Foundation

/// An experiment (the jobs submitted under one name) with counts by state.
public struct Experiment: Codable, Sendable, Hashable {
    public var name: String
    public var counts: StateCounts
    public var total: Int
    /// First submission.
    public var createdAt: Date
    /// Latest submission, start or finish.
    public var updatedAt: Date
}

/// One experiment with its jobs, oldest first.
public struct ExperimentDetail: Codable, Sendable, Hashable {
    public var name: String
    public var counts: StateCounts
    public var total: Int
    public var jobs: [Job]
}
