/// Decides how long a failed attempt waits before the next one.
public protocol RetryPolicy: Sendable {
    /// Delay before the attempt after `attemptsUsed` attempts have failed (1 after the first failure).
    func delay(afterAttempt attemptsUsed: Int) -> Duration
}

/// River's default: attempt⁴ seconds, with ±10% jitter, capped.
public struct ExponentialBackoff: RetryPolicy {
    /// The longest any delay may be.
    public var cap: Duration
    /// Fraction of the delay drawn at random each way, to spread retries of jobs that failed together.
    public var jitter: Double
    /// Source of randomness in [0, 1); injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    /// Creates the policy; the defaults are those River uses.
    public init(cap: Duration = .seconds(24 * 3600), jitter: Double = 0.1, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.cap = cap
        self.jitter = jitter
        self.random = random
    }

    public func delay(afterAttempt attemptsUsed: Int) -> Duration {
        let attempt = Double(max(1, attemptsUsed))
        let capSeconds = Double(cap.components.seconds)
        let base = min(attempt * attempt * attempt * attempt, capSeconds)
        let factor = 1 + jitter * (2 * random() - 1)
        return .milliseconds(Int64((min(base * factor, capSeconds) * 1000).rounded()))
    }
}
