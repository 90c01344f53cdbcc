import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl show ID`: every field of a job and its state changes.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one job in full, with its events.")

    @Argument(help: "Job id.") var id: Int64
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    /// The job and its events, as `--json` prints them.
    struct Detail: Encodable {
        var job: Job
        var events: [JobEvent]
    }

    func run() async throws {
        try await connection.withClient { client in
            async let job = client.job(id)
            async let events = client.events(id)
            let detail = Detail(job: try await job, events: try await events)
            if output.json { return try Output.json(detail) }
            print(JobDetailText(style: .forStandardOutput()).render(detail.job, events: detail.events, now: Date()))
        }
    }
}
