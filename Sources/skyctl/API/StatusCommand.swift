import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl status`: the job table, like SkyPilot's `sky jobs queue`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "List jobs, newest first, with a summary of those in progress."
    )

    @Flag(name: .short, help: "More columns: worker, start time, error.") var all = false
    @Flag(name: .customShort("s"), help: "Skip finished jobs (succeeded, failed, cancelled).") var skipFinished = false
    @Option(help: "Only this experiment's jobs.") var experiment: String?
    @Option(help: "Only jobs of this kind.") var kind: JobKind?
    @Option(help: "Only jobs with this tag.") var tag: String?
    @Option(help: "Only jobs in this queue.") var queue: String?
    @Option(help: "At most this many jobs.") var limit = 100
    @Flag(help: "Refresh every 2 seconds until interrupted.") var watch = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be positive") }
        if watch && output.json { throw ValidationError("--watch and --json do not go together") }
    }

    func run() async throws {
        let filter = JobFilter(
            states: skipFinished ? JobState.allCases.filter { !$0.isFinal } : nil, kind: kind, queue: queue,
            experiment: experiment, tag: tag)
        let style = TerminalStyle.forStandardOutput()
        try await connection.withClient { client in
            repeat {
                let jobs = try await client.allJobs(filter, maximum: limit)
                if output.json {
                    try Output.json(jobs)
                    return
                }
                let text = jobs.isEmpty ? "No jobs." : JobTable(showAll: all, style: style).render(jobs, now: Date())
                if watch {
                    // Home and clear, then the new table: refreshes in place on a terminal.
                    print(style.enabled ? "\u{1B}[H\u{1B}[2J" + text : text + "\n", terminator: "\n")
                    Output.flush()
                    try await Task.sleep(for: .seconds(2))
                } else {
                    print(text)
                }
            } while watch
        }
    }
}
