import Foundation
import Hummingbird
import NIOCore
import SkyClient
import SkyCore
import SkyJobs
import SkyServer
import SkyStore
import SkyTestSupport
import SkyWorker

/// A live API on a loopback port over a fresh database, with a worker running the standard executors.
struct TestServer: Sendable {
    /// Base URL, e.g. http://127.0.0.1:41234.
    let url: String
    /// Tokens of each scope.
    let adminToken: String
    let readToken: String
    /// The database underneath, for checks the API does not offer.
    let database: TestDatabase

    /// A client with the admin token (or `token`).
    func connection(token: String? = nil) -> ServerConnection {
        ServerConnection(server: url, token: token ?? adminToken)
    }
}

/// Runs `body` against a `TestServer`, stopping the server and the worker afterwards, also on error.
func withTestServer(_ body: (TestServer) async throws -> Void) async throws {
    try await withTestDatabase { db in
        let tokens = TokenStore(client: db.client)
        let admin = try await tokens.create(name: "test-admin", scopes: [.admin]).secret
        let reader = try await tokens.create(name: "test-reader", scopes: [.read]).secret
        // Port 0 lets the kernel choose, so tests run in parallel; the bound port comes back through the stream.
        let api = SkyAPI(client: db.client, configuration: SkyServerConfiguration(port: 0, databaseTimeoutSeconds: 60, logPollSeconds: 0.1))
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let application = api.makeApplication { channel in
            portSink.yield(channel.localAddress?.port ?? 0)
            portSink.finish()
        }
        let worker = try await makeTestWorker(db)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.runService(gracefulShutdownSignals: []) }
            group.addTask { try await worker.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else { throw TestServerError("the server did not report its port") }
            try await body(TestServer(url: "http://127.0.0.1:\(port)", adminToken: admin, readToken: reader, database: db))
        }
    }
}

/// A worker with the executors a stock skyd registers, polling fast so tests do not wait.
func makeTestWorker(_ db: TestDatabase) async throws -> SkyWorker.Worker {
    let configuration = WorkerConfiguration(
        id: "client-test-worker", slots: 4, lease: .seconds(30), pollInterval: .milliseconds(200),
        telemetryInterval: .milliseconds(50), shutdownGrace: .seconds(1), maintenanceInterval: .milliseconds(200),
        scratchDirectory: FileManager.default.temporaryDirectory.appendingPathComponent("sky-client-tests-\(db.name)"))
    return SkyWorker.Worker(
        configuration: configuration, queue: db.queue,
        database: try await TestPostgres.shared.cluster().databaseConfiguration(database: db.name),
        executors: StandardExecutors.registry())
}

struct TestServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
