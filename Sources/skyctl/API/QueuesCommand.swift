import ArgumentParser
import Foundation
import SkyClient

/// `skyctl queues [list|pause|resume]`.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues", abstract: "Queues with counts by state; pause and resume them.",
        subcommands: [List.self, Pause.self, Resume.self], defaultSubcommand: List.self)

    /// The listing.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every queue with counts by state.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let style = TerminalStyle.forStandardOutput()
            try await connection.withClient { client in
                let queues = try await client.queues()
                if output.json { return try Output.json(queues) }
                print(queues.isEmpty ? "no queues yet" : QueueTable.render(queues, style: style))
            }
        }
    }

    /// Stops claims from a queue.
    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pause", abstract: "Stop workers claiming from a queue (needs an admin token).")
        @Argument(help: "Queue name.") var name: String
        @Option(help: "Why, recorded with the pause.") var reason: String?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await connection.withClient { client in
                let queue = try await client.pauseQueue(name, reason: reason)
                if output.json { try Output.json(queue) } else { print("\(queue.name): paused") }
            }
        }
    }

    /// Lets claims resume.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "resume", abstract: "Let workers claim from a queue again (needs an admin token).")
        @Argument(help: "Queue name.") var name: String
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await connection.withClient { client in
                let queue = try await client.resumeQueue(name)
                if output.json { try Output.json(queue) } else { print("\(queue.name): \(queue.paused ? "paused" : "running")") }
            }
        }
    }
}
