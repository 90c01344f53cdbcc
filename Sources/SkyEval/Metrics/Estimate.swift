/// A mean with its standard error and how many problems it is over.
public struct Estimate: Sendable, Equatable, Codable {
    /// The mean accuracy in [0, 1].
    public var value: Double
    /// Its standard error (see `EvalMetrics.accuracy`).
    public var standardError: Double
    /// Problems it is computed over.
    public var count: Int

    enum CodingKeys: String, CodingKey { case value, standardError = "standard_error", count }

    /// An estimate from its parts.
    public init(value: Double, standardError: Double, count: Int) {
        self.value = value
        self.standardError = standardError
        self.count = count
    }
}
