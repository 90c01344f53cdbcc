public import Foundation

/// One value of one metric key at one step.
public struct MetricPoint: Codable, Sendable, Hashable {
    public var key: String
    public var attempt: Int
    public var step: Int
    public var value: Double
    public var at: Date
}

/// One metric key's values, by step.
public struct MetricSeries: Codable, Sendable, Hashable {
    public var key: String
    public var points: [MetricPoint]
}
