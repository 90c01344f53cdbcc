import ArgumentParser
import Foundation
import SkyClient

/// `--server` and `--token`, shared by every command that talks to the API.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "API base URL (default: $SKY_SERVER, the config file's server:, or http://127.0.0.1:8080).")
    var server: String?

    @Option(help: "API token (default: $SKY_TOKEN or the config file's token:).")
    var token: String?

    /// Runs `body` with a client; API errors are printed and end the process with their exit code.
    func withClient<T: Sendable>(_ body: (APIClient) async throws -> T) async throws -> T {
        let connection: ServerConnection
        do {
            connection = try ServerConnection.resolve(server: server, token: token)
        } catch {
            throw CLIFailure("\(error)", code: 78)  // EX_CONFIG
        }
        do {
            return try await withAPIClient(connection, body)
        } catch let error as APIError {
            throw CLIFailure("\(error)", code: error.exitCode)
        } catch let error as SpecFileError {
            throw CLIFailure(error.description, code: 65)
        }
    }
}

/// An error skyctl reports as one message on standard error, exiting with `code`.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    var code: Int32

    init(_ description: String, code: Int32) {
        self.description = description
        self.code = code
    }
}

/// `--json` for listings.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON (the API's shapes) instead of a table.") var json = false
}

/// Writing results: tables and JSON to standard output, notes to standard error.
enum Output {
    static func json(_ value: some Encodable) throws {
        print(try APIJSON.pretty(value))
    }

    /// Pushes buffered standard output out now: a pipe would otherwise hold a live view's lines back.
    static func flush() {
        fflush(nil)  // nil flushes every output stream, and avoids touching the global `stdout` from Swift 6
    }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
