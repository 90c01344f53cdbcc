import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl artifacts upload|list|download`.
struct ArtifactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifacts", abstract: "Upload, list and download datasets and job outputs.",
        subcommands: [Upload.self, List.self, Download.self])

    /// Streams a file to the server.
    struct Upload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload", abstract: "Upload a file (streamed); prints the artifact id.",
            discussion: ".json uploads as JSON, .jsonl/.ndjson as JSON Lines (both checked by the server), anything else as bytes.")
        @Argument(help: "The file.") var file: String
        @Option(help: "Name (default: the file's name).") var name: String?
        @Option(help: "Kind: dataset, benchmark, model, adapter, checkpoint, eval_results, other.") var kind: ArtifactKind?
        @Option(help: "Media type, overriding the one the extension implies.") var mediaType: String?
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            var directory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &directory), !directory.boolValue else {
                throw ValidationError("\(file): no such file")
            }
        }

        func run() async throws {
            try await connection.withClient { client in
                let artifact = try await client.uploadArtifact(URL(fileURLWithPath: file), name: name, kind: kind, mediaType: mediaType)
                if output.json { try Output.json(artifact) } else { print(artifact.id) }
            }
        }
    }

    /// The listing.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Artifacts, newest first.")
        @Option(help: "Only this kind.") var kind: ArtifactKind?
        @Option(help: "Only those this job produced.") var job: Int64?
        @Option(help: "At most this many.") var limit = 100
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await connection.withClient { client in
                let artifacts = try await client.artifacts(kind: kind, producedBy: job, limit: limit)
                if output.json { return try Output.json(artifacts) }
                print(artifacts.isEmpty ? "no artifacts" : ArtifactTable.render(artifacts, now: Date()))
            }
        }
    }

    /// Streams an artifact to a file, checked against its SHA-256.
    struct Download: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "download", abstract: "Download an artifact; the file appears only once its SHA-256 checks out.")
        @Argument(help: "Artifact id.") var id: Int64
        @Option(name: .shortAndLong, help: "Output file (default: the artifact's name, in the current directory).") var output: String?
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            try await connection.withClient { client in
                let target: String
                if let output {
                    target = output
                } else {
                    // The server's name could hold a path; only its last component is used here.
                    let name = URL(fileURLWithPath: try await client.artifact(id).name).lastPathComponent
                    target = name.isEmpty || name == ".." ? "artifact-\(id)" : name
                }
                let (sha256, bytes) = try await client.downloadArtifact(id, to: URL(fileURLWithPath: target))
                Output.note("\(target): \(bytes) bytes, sha256 \(sha256)")
            }
        }
    }
}
