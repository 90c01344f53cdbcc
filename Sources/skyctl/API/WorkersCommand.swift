import ArgumentParser
import Foundation
import SkyClient

/// `skyctl workers`.
struct WorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workers", abstract: "Registered workers: capabilities, slots in use, heartbeat, running jobs.")

    @Flag(name: .shortAndLong, help: "Include stopped workers.") var all = false
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let style = TerminalStyle.forStandardOutput()
        try await connection.withClient { client in
            let workers = try await client.workers(includeStopped: all)
            if output.json { return try Output.json(workers) }
            let now = Date()
            var table = TextTable(headers: ["ID", "HOST", "BACKEND", "MEMORY", "LABELS", "QUEUES", "KINDS", "SLOTS", "RUNNING", "HEARTBEAT", "STATUS"])
            for worker in workers {
                let status = worker.stoppedAt != nil ? style.paint("STOPPED", .dim) : worker.alive ? style.paint("ALIVE", .green) : style.paint("SILENT", .red)
                table.append([
                    worker.id, worker.host, worker.backend, "\(worker.memoryMB)MB", worker.labels.joined(separator: ",").ifEmpty("-"),
                    worker.queues.joined(separator: ","), worker.kinds.joined(separator: ","), "\(worker.slotsInUse)/\(worker.slots)",
                    worker.runningJobs.map(String.init).joined(separator: ",").ifEmpty("-"),
                    TimeText.relative(worker.heartbeatAt, now: now), status,
                ])
            }
            print(workers.isEmpty ? "no workers" + (all ? "" : " alive (-a shows stopped ones)") : table.render())
        }
    }
}

extension String {
    /// `replacement` when empty, for table cells.
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
