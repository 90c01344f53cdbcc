public import Foundation
import Logging
public import PostgresNIO
public import SkyStore

#if canImport(Glibc)
import Glibc
#endif

/// One throwaway PostgreSQL cluster per test process, with a migrated template database.
///
/// Each test gets its own database, cloned from the template in milliseconds, so tests run in parallel
/// without seeing each other's rows and LISTEN/NOTIFY stays per-database. The cluster is stopped when the
/// process exits (and by the embedded server's watchdog if the process dies).
public actor TestPostgres {
    /// The process-wide cluster, started on first use.
    public static let shared = TestPostgres()

    private var starting: Task<EmbeddedPostgres, any Error>?
    private var adminClient: PostgresClient?
    private var adminTask: Task<Void, Never>?
    private var counter = 0
    private static let template = "sky_template"

    /// The running cluster, started and templated on first call.
    public func cluster() async throws -> EmbeddedPostgres {
        // One start shared by every caller: the actor is re-entered while the first caller awaits.
        if starting == nil { starting = Task { try await self.start() } }
        return try await starting!.value
    }

    /// A new non-durable cluster in a fresh /tmp directory, started; for tests that must stop their own
    /// server (the shared one serves every other test). The caller stops it and removes the directory.
    public static func startCluster(port: Int, label: String) throws -> (server: EmbeddedPostgres, directory: URL) {
        let directory = URL(fileURLWithPath: "/tmp/sky-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.durable = false
        options.port = port
        // Test suites run in parallel, each database with its own pooled client (and some with workers and LISTEN
        // connections): 200 ran out under a full `make test` ("sorry, too many clients already").
        options.settings["max_connections"] = "600"
        let server = try EmbeddedPostgres(options: options, logger: Logger(label: "sky.test.\(label)"))
        try server.start()
        return (server, directory)
    }

    private func start() async throws -> EmbeddedPostgres {
        let (server, directory) = try Self.startCluster(port: 5432, label: "test")
        TestPostgresCleanup.register(server: server, directory: directory)
        let admin = PostgresClient(configuration: server.clientConfiguration(database: "postgres"))
        adminTask = Task { await admin.run() }
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(Self.template)"))
        let templateClient = PostgresClient(configuration: server.clientConfiguration(database: Self.template))
        try await withRunningClient(templateClient) { client in
            try await Migrator(client: client).migrate()
        }
        self.adminClient = admin
        return server
    }

    /// A new, migrated, empty database; its name.
    public func makeDatabase() async throws -> String {
        _ = try await cluster()
        counter += 1
        let name = "test_\(counter)"
        try await adminClient!.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name) TEMPLATE \(Self.template)"))
        return name
    }

    /// Drops a database made by `makeDatabase`, disconnecting anyone still on it.
    public func dropDatabase(_ name: String) async {
        _ = try? await adminClient?.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
    }

    /// A new empty database with no migrations applied, for migration tests.
    public func makeEmptyDatabase() async throws -> String {
        _ = try await cluster()
        counter += 1
        let name = "empty_\(counter)"
        try await adminClient!.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        return name
    }
}

/// Runs `body` with `client` running, and shuts the client down afterwards, also on error.
@discardableResult
public func withRunningClient<T: Sendable>(_ client: PostgresClient, _ body: (PostgresClient) async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Stops the test cluster and removes its files when the test process exits normally.
enum TestPostgresCleanup {
    nonisolated(unsafe) private static var server: EmbeddedPostgres?
    nonisolated(unsafe) private static var directory: URL?

    static func register(server: EmbeddedPostgres, directory: URL) {
        Self.server = server
        Self.directory = directory
        atexit {
            try? TestPostgresCleanup.server?.stop()
            if let directory = TestPostgresCleanup.directory { try? FileManager.default.removeItem(at: directory) }
        }
    }
}
