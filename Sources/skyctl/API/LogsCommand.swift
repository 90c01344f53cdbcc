import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl logs ID [-f]`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print a job's log; -f follows it until the job finishes.")

    @Argument(help: "Job id.") var id: Int64
    @Flag(name: .shortAndLong, help: "Keep printing new lines until the job finishes.") var follow = false
    @Option(help: "Only this attempt's lines.") var attempt: Int?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let style = TerminalStyle.forStandardOutput()
        try await connection.withClient { client in
            if follow {
                for try await line in client.followLogs(id, attempt: attempt) {
                    try emit(line, style: style)
                    Output.flush()
                }
                let job = try await client.job(id)
                if !output.json { Output.note("job \(id) \(job.state.rawValue)" + (job.error.map { ": \($0)" } ?? "")) }
                return
            }
            var cursor: String?
            while true {
                let page = try await client.logs(id, after: cursor, attempt: attempt, limit: 5000)
                for line in page.lines { try emit(line, style: style) }
                guard page.lines.count == 5000 else { break }
                cursor = page.nextCursor
            }
        }
    }

    private func emit(_ line: LogLine, style: TerminalStyle) throws {
        if output.json {
            // One object per line (JSON Lines), so a follow can be piped into jq as it runs.
            print(try APIJSON.compact(line))
            return
        }
        print(LogLineText.render(line, style: style))
    }
}
