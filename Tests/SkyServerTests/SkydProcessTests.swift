import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import SkyClient
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// The real `skyd serve` binary, as a separate process, against a test database.
@Suite struct SkydProcessTests {
    /// A 200 MB dataset upload streams through skyd into PostgreSQL with skyd's memory staying flat.
    ///
    /// Sent as application/octet-stream (kind dataset), so the streaming path is measured without the
    /// JSON Lines check, which in a debug build runs at a few MB/s; the check holds one record at a time,
    /// and `make bench-api` measures a release skyd on a 1 GiB JSON Lines upload with it.
    @Test func largeUploadKeepsSkydMemoryBounded() async throws {
        try await withTestDatabase { db in
            try await withSkyd(database: db.name) { skyd in
                let size = 200 << 20
                let line = Data(#"{"system": "s", "conversations": [{"from": "user", "value": "What is 12 + 30?"}, {"from": "assistant", "value": "42"}]}"#.utf8 + [0x0A])
                let baseline = try skyd.residentBytes()
                let sampler = Task {
                    var peak = 0
                    while !Task.isCancelled {
                        peak = max(peak, (try? skyd.residentBytes()) ?? 0)
                        try? await Task.sleep(for: .milliseconds(20))
                    }
                    return peak
                }
                var request = HTTPClientRequest(url: "\(skyd.url)/v1/artifacts?name=big.jsonl&kind=dataset")
                request.method = .POST
                request.headers.add(name: "Authorization", value: "Bearer \(skyd.token)")
                request.headers.add(name: "Content-Type", value: "application/octet-stream")
                let chunks = GeneratedBody(total: size, pattern: line)
                request.body = .stream(chunks, length: .known(Int64(size)))
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(300))
                let body = try await response.body.collect(upTo: 1 << 20)
                sampler.cancel()
                let peak = await sampler.value
                #expect(response.status.code == 201, "\(String(buffer: body))")
                let json = try JSONValue.parse(Data(body.readableBytesView))
                #expect(json["sizeBytes"]?.numberValue == Double(size))
                #expect(json["sha256"]?.stringValue == chunks.sha256())
                let growth = peak - baseline
                print("skyd resident memory: \(baseline >> 20) MiB before, \(peak >> 20) MiB peak while uploading \(size >> 20) MiB")
                #expect(growth < 96 << 20, "skyd grew by \(growth >> 20) MiB while uploading \(size >> 20) MiB")
            }
        }
    }
}

extension SkydProcessTests {
    /// A CUDA worker pool on a host that cannot start CUDA (SKY_CUDA_LIB_DIR points at nothing and no GPU driver is
    /// installed here) stops before any worker starts or any database is opened, saying what is missing; otherwise its
    /// workers would claim CUDA jobs and fail every attempt. Real process, real dlopen; no GPU involved.
    @Test func aCUDAWorkerPoolOnAHostWithoutCUDARefusesToStart() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-gpu-pool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pool = directory.appendingPathComponent("gpu.yaml")
        try "workers: 1\nkinds: [train, eval]\nbackend: cuda\n".write(to: pool, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try builtSkyd()
        process.arguments = ["worker", "--config", pool.path, "--database-url", "postgres://nobody@127.0.0.1:1/none",
                             "--data-dir", directory.path]
        var environment = ProcessInfo.processInfo.environment
        environment["SKY_CUDA_LIB_DIR"] = directory.path
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
        #expect(text.contains("\(pool.path) offers backend cuda, but this host cannot start it: backend cuda: "), "\(text)")
        #expect(!text.contains("connect"), "the database was tried before the check: \(text)")
    }
}

/// A running skyd and how to reach it.
struct SkydProcess {
    let process: Process
    let url: String
    let token: String

    /// Resident set size of the skyd process, from /proc.
    func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return 0 }
        return kilobytes << 10
    }
}

/// Starts `skyd serve` (built beside the test binary) on the test database `database`, with no workers,
/// waits until it answers, runs `body`, then stops it with SIGTERM.
func withSkyd<T: Sendable>(database: String, _ body: (SkydProcess) async throws -> T) async throws -> T {
    try await withSkyd(databaseURL: try await testDatabaseURL(database), body)
}

/// Starts `skyd serve` on the database at `databaseURL`, with no workers; see `withSkyd(database:_:)`.
func withSkyd<T: Sendable>(databaseURL: String, _ body: (SkydProcess) async throws -> T) async throws -> T {
    try await withSkyd(serving: ["--database-url", databaseURL], body)
}

/// Starts `skyd serve` with `databaseArguments` (a `--database-url`, or an embedded PostgreSQL's `--data-dir`, port and
/// settings), with no workers; see `withSkyd(database:_:)`.
func withSkyd<T: Sendable>(serving databaseArguments: [String], _ body: (SkydProcess) async throws -> T) async throws -> T {
    let binary = try builtSkyd()
    let scratch = URL(fileURLWithPath: "/tmp/sky-skyd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    // Below Linux's ephemeral range (32768–60999), where the suite's own client connections could hold the port.
    let port = Int.random(in: 20_000...32_000)
    let config = scratch.appendingPathComponent("config.yaml")
    let process = Process()
    process.executableURL = binary
    process.arguments = [
        "serve", "--no-workers", "--port", String(port), "--client-config", config.path, "--log-level", "warning",
    ] + databaseArguments + (databaseArguments.contains("--data-dir") ? [] : ["--data-dir", scratch.path])
    try process.run()
    defer {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
    let url = "http://127.0.0.1:\(port)"
    // Generous: under the whole suite on two cores, starting a process and its first connections can take long.
    let up = try await eventually(timeout: .seconds(120)) {
        guard process.isRunning else { return false }
        let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "\(url)/healthz"), timeout: .seconds(2))
        return response?.status.code == 200
    }
    guard up, let token = try? ClientConfigFile.load(from: config).token
    else {
        let exited = process.isRunning ? "still running" : "exited with status \(process.terminationStatus)"
        throw TestFailure("skyd did not come up on \(url) with a token in \(config.path) (\(exited))")
    }
    let result = try await body(SkydProcess(process: process, url: url, token: token))
    process.terminate()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "skyd exits cleanly on SIGTERM")
    return result
}

/// Runs `executable` to completion with `arguments`: its exit status and its stdout and stderr together.
func runToCompletion(_ executable: URL, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, text)
}

/// The `skyd` binary built beside the test binary.
func builtSkyd() throws -> URL {
    let binary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("skyd")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
        throw TestFailure("skyd is not built at \(binary.path); build with `swift build --build-tests` (make test does)")
    }
    return binary
}

/// The URL of the test database `database`, over the test cluster's Unix socket.
func testDatabaseURL(_ database: String) async throws -> String {
    let cluster = try await TestPostgres.shared.cluster()
    let socketDirectory = URL(fileURLWithPath: cluster.socketPath).deletingLastPathComponent().path
    return "postgresql://\(EmbeddedPostgres.username)@/\(database)?host=\(socketDirectory)&port=\(cluster.options.port)"
}

/// A failure of the test's own setup.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// `total` bytes of a repeated pattern, produced 1 MiB at a time (so the test holds no big buffer either).
struct GeneratedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let total: Int
    let pattern: Data

    func chunk(_ offset: Int, _ count: Int) -> Data {
        var data = Data(capacity: count)
        var position = offset % pattern.count
        while data.count < count {
            let take = Swift.min(pattern.count - position, count - data.count)
            data.append(pattern[pattern.startIndex + position ..< pattern.startIndex + position + take])
            position = 0
        }
        return data
    }

    /// The SHA-256 of the whole body, computed the same way it is produced.
    func sha256() -> String {
        var hasher = SHA256()
        var offset = 0
        while offset < total {
            let count = Swift.min(1 << 20, total - offset)
            hasher.update(data: chunk(offset, count))
            offset += count
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: GeneratedBody
        var offset = 0

        mutating func next() async -> ByteBuffer? {
            guard offset < body.total else { return nil }
            let count = Swift.min(1 << 20, body.total - offset)
            let data = body.chunk(offset, count)
            offset += count
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(body: self) }
}
