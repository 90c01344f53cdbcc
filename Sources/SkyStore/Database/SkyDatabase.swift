public import Foundation
public import Logging
public import PostgresNIO

/// Where Sky's database is: a server given by URL, or the embedded cluster under the data directory.
public struct SkyDatabase: Sendable {
    /// How to connect.
    public let configuration: DatabaseConfiguration
    /// The embedded server, when Sky runs its own; the owner stops it.
    public let embedded: EmbeddedPostgres?

    /// A database at `configuration`, optionally owning an embedded server.
    public init(configuration: DatabaseConfiguration, embedded: EmbeddedPostgres?) {
        self.configuration = configuration
        self.embedded = embedded
    }

    /// The URL if one is given (argument, then SKY_DATABASE_URL), else the embedded cluster, started (or, with
    /// `.shared` ownership, the one a live skyd already runs on that data directory).
    public static func open(
        url: String?, dataDirectory: URL?, port: Int = 5432, listenOnLoopback: Bool = false,
        settings: [String: String] = [:], ownership: EmbeddedPostgres.Ownership = .exclusive, logger: Logger
    ) throws -> SkyDatabase {
        if let url = url ?? ProcessInfo.processInfo.environment["SKY_DATABASE_URL"], !url.isEmpty {
            let configuration = try DatabaseConfiguration(url: url)
            logger.info("using database \(configuration.displayName)")
            return SkyDatabase(configuration: configuration, embedded: nil)
        }
        let directory = dataDirectory ?? defaultDataDirectory()
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.port = port
        options.listenOnLoopback = listenOnLoopback
        options.settings = settings
        options.ownership = ownership
        let server = try EmbeddedPostgres(options: options, logger: logger)
        try server.start()
        return SkyDatabase(configuration: server.databaseConfiguration(), embedded: server)
    }

    /// SKY_DATA_DIR, else /var/lib/sky for root (the postgres user cannot enter /root), else
    /// $XDG_DATA_HOME/sky or ~/.local/share/sky.
    public static func defaultDataDirectory() -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SKY_DATA_DIR"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        if getuid() == 0 { return URL(fileURLWithPath: "/var/lib/sky") }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg).appendingPathComponent("sky") }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/sky")
    }

    /// Runs `body` with a client that is running, then shuts it down.
    ///
    /// One connection is made first, so an unreachable database is an error naming it and the reason
    /// (the pool itself would retry forever and leave the command hanging).
    @discardableResult
    public func withClient<T: Sendable>(maxConnections: Int = 20, _ body: (PostgresClient) async throws -> T) async throws -> T {
        try await checkReachable()
        var clientConfiguration = configuration.client
        clientConfiguration.options.maximumConnections = maxConnections
        let client = PostgresClient(configuration: clientConfiguration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Connects once, within `timeout`, or throws why not.
    public func checkReachable(timeout: Duration = .seconds(15), logger: Logger = Logger(label: "sky.database")) async throws {
        let configuration = self.configuration
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let connection = try await PostgresConnection.connect(configuration: configuration.connection, id: 0, logger: logger)
                    try await connection.close()
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw DatabaseUnreachable(database: configuration.displayName, reason: "no answer within \(timeout)")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch let error as DatabaseUnreachable {
            throw error
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw DatabaseUnreachable(database: configuration.displayName, reason: reason)
        }
    }

    /// Stops the embedded server, if this process owns one.
    public func close() throws {
        try embedded?.stop()
    }
}

/// The database could not be reached (or refused the connection).
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public var database: String
    public var reason: String
    public var description: String { "cannot connect to \(database): \(reason)" }
}
