import ArgumentParser
import SkyClient
import SkyCore

/// `skyctl cancel ID…`.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel jobs: queued ones at once, running ones at their next safe point; dependants too.")

    @Argument(help: "Job ids.") var ids: [Int64]
    @Option(help: "Why, recorded in the job's events.") var reason: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !ids.isEmpty else { throw ValidationError("name at least one job id") }
    }

    func run() async throws {
        try await connection.withClient { client in
            var jobs: [Job] = []
            var firstFailure: APIError?
            // Every id is tried, so one finished job does not stop the rest from being cancelled.
            for id in ids {
                do {
                    let job = try await client.cancel(id, reason: reason)
                    jobs.append(job)
                    if !output.json { print("\(id): \(job.cancelRequested && !job.state.isFinal ? "cancelling" : job.state.rawValue)") }
                } catch let error as APIError where error.status != nil {
                    Output.note("\(id): \(error)")
                    firstFailure = firstFailure ?? error
                }
            }
            if output.json { try Output.json(jobs) }
            if let firstFailure { throw CLIFailure("not every job was cancelled", code: firstFailure.exitCode) }
        }
    }
}

/// `skyctl retry ID`.
struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Run a failed or cancelled job again, as a new attempt.")

    @Argument(help: "Job id.") var id: Int64
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await connection.withClient { client in
            let job = try await client.retry(id)
            if output.json { try Output.json(job) } else { print("\(job.id): \(job.state.rawValue)") }
        }
    }
}
