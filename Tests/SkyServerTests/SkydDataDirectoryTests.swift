import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SkyClient
import SkyTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real `skyd serve` processes, one after another, on one data directory with its embedded PostgreSQL: a new skyd
/// started while the previous one is still shutting down, or right after it was SIGKILLed, must wait for it and
/// then run a server of its own, not adopt the one that is about to be stopped under it.
@Suite(.serialized) struct SkydDataDirectoryTests {
    let directory = URL(fileURLWithPath: "/tmp/sky-dd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    let postgresPort = Int.random(in: 30_000...40_000)
    let port = Int.random(in: 20_000...29_999)

    var url: String { "http://127.0.0.1:\(port)" }
    var postmasterPIDFile: URL { directory.appendingPathComponent("postgres/postmaster.pid") }

    func skyd(_ arguments: [String], log name: String) throws -> Process {
        let process = Process()
        process.executableURL = try builtSkyd()
        process.arguments = arguments + ["--data-dir", directory.path, "--postgres-port", String(postgresPort)]
        let logFile = directory.appendingPathComponent("\(name).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = process.standardError
        try process.run()
        return process
    }

    func serve(_ name: String) throws -> Process {
        try skyd(
            ["serve", "--no-workers", "--port", String(port), "--client-config", directory.appendingPathComponent("config.yaml").path],
            log: name)
    }

    func log(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).log"), encoding: .utf8)) ?? ""
    }

    /// The first start's admin token, from the client configuration it wrote.
    func token() throws -> String {
        try #require(try ClientConfigFile.load(from: directory.appendingPathComponent("config.yaml")).token)
    }

    /// Whether a request that reads the database answers 200.
    func databaseAnswers(_ token: String) async -> Bool {
        var request = HTTPClientRequest(url: "\(url)/v1/jobs?limit=1")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(2))
        return response?.status.code == 200
    }

    func waitUntilServing(_ process: Process, _ name: String, token: String?) async throws {
        let up = try await eventually(timeout: .seconds(120)) {
            guard process.isRunning else { return false }
            let health = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/healthz"), timeout: .seconds(2))
            guard health?.status.code == 200 else { return false }
            return token == nil ? true : await databaseAnswers(token!)
        }
        if !up { throw TestFailure("skyd \(name) did not come up on \(url):\n\(log(name))") }
    }

    /// The database keeps answering for a few seconds: long enough for a predecessor (or its watchdog) that
    /// still meant to stop the server to have done so.
    func keepsAnswering(_ token: String, _ name: String) async throws {
        for _ in 0..<8 {
            let answered = await databaseAnswers(token)
            #expect(answered, "skyd \(name) lost its database:\n\(log(name))")
            if !answered { return }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    func postmasterPID() -> String? {
        (try? String(contentsOf: postmasterPIDFile, encoding: .utf8))?.split(separator: "\n").first.map(String.init)
    }

    @Test func aSkydStartedWhileTheLastOneStopsOrRightAfterItWasKilledWaitsAndRunsItsOwnServer() async throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var running: [Process] = []
        defer {
            for process in running where process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: directory)
        }

        let first = try serve("first")
        running.append(first)
        try await waitUntilServing(first, "first", token: nil)
        let token = try token()
        #expect(await databaseAnswers(token))

        // SIGTERM, and the next skyd at once, while the first is still stopping its PostgreSQL.
        first.terminate()
        let second = try serve("second")
        running.append(second)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0, "the first skyd exits cleanly:\n\(log("first"))")
        try await waitUntilServing(second, "second", token: token)
        try await keepsAnswering(token, "second")

        // SIGKILL: the second's watchdog stops its server; the third waits for that instead of adopting it.
        let killedServer = postmasterPID()
        kill(second.processIdentifier, SIGKILL)
        second.waitUntilExit()
        let third = try serve("third")
        running.append(third)
        try await waitUntilServing(third, "third", token: token)
        try await keepsAnswering(token, "third")
        #expect(postmasterPID() != killedServer, "the third skyd runs a server of its own")

        // A short command on the same data directory is the running skyd's guest and leaves its server running.
        let list = try skyd(["token", "list"], log: "token")
        list.waitUntilExit()
        #expect(list.terminationStatus == 0 && log("token").contains("local-admin"), "skyd token list:\n\(log("token"))")
        try await keepsAnswering(token, "third")

        third.terminate()
        third.waitUntilExit()
        #expect(third.terminationStatus == 0, "the third skyd exits cleanly:\n\(log("third"))")
        #expect(!FileManager.default.fileExists(atPath: postmasterPIDFile.path), "no PostgreSQL is left running")
    }
}
