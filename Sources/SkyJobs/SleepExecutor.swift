public import SkyCore
public import SkyWorker

/// Runs `sleep` jobs: waits (cancellably), fails on purpose with the spec's probability, returns its output.
public struct SleepExecutor: JobExecutor {
    public let kind = JobKind.sleep
    /// Draws in [0, 1) for the failure roll; injectable so tests are deterministic.
    public var random: @Sendable () -> Double

    /// Creates the executor.
    public init(random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.random = random
    }

    public func run(_ context: JobContext) async throws -> JSONValue? {
        let spec = try context.spec(as: SleepSpec.self)
        if spec.durationSeconds > 0 {
            context.progress(0, message: "sleeping \(spec.durationSeconds) s")
            try await Task.sleep(for: .milliseconds(Int64(spec.durationSeconds * 1000)))
        }
        if spec.failureProbability > 0, random() < spec.failureProbability {
            let message = "sleep job failed on purpose (failureProbability \(spec.failureProbability), attempt \(context.attemptsUsed))"
            context.log(message, level: "error")
            if spec.failPermanently { throw PermanentJobError(message) }
            throw SleepFailure(message: message)
        }
        return spec.output
    }
}

/// The retryable failure a sleep job produces on purpose.
struct SleepFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
