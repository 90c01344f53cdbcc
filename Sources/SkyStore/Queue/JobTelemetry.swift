public import Foundation

/// One log line from a job's run.
public struct JobLogLine: Sendable, Hashable {
    /// The run that wrote it.
    public var token: JobToken
    /// When it was written (worker clock).
    public var at: Date
    /// "debug", "info", "warning" or "error".
    public var level: String
    /// The text.
    public var message: String

    /// Creates a log line.
    public init(token: JobToken, at: Date = Date(), level: String, message: String) {
        self.token = token
        self.at = at
        self.level = level
        self.message = message
    }
}

/// One point of a metric series (job, key) at a step.
public struct JobMetricPoint: Sendable, Hashable {
    /// The run that wrote it.
    public var token: JobToken
    /// Series name, e.g. "train/loss".
    public var key: String
    /// Position in the series (training step, sample index).
    public var step: Int
    /// The value.
    public var value: Double
    /// When it was recorded.
    public var at: Date

    /// Creates a point.
    public init(token: JobToken, key: String, step: Int, value: Double, at: Date = Date()) {
        self.token = token
        self.key = key
        self.step = step
        self.value = value
        self.at = at
    }
}

/// A run's latest progress report.
public struct JobProgress: Sendable, Hashable {
    /// The run it is about.
    public var token: JobToken
    /// Fraction done in [0, 1].
    public var fraction: Double
    /// What it is doing, for people watching.
    public var message: String?

    /// Creates a progress report.
    public init(token: JobToken, fraction: Double, message: String? = nil) {
        self.token = token
        self.fraction = fraction
        self.message = message
    }
}
