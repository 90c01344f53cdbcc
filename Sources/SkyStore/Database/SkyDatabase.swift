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

    /// The URL if one is given (argument, then SKY_DATABASE_URL), else the embedded cluster, started.
    public static func open(url: String?, dataDirectory: URL?, port: Int = 5432, listenOnLoopback: Bool = false, logger: Logger) throws -> SkyDatabase {
        if let url = url ?? ProcessInfo.processInfo.environment["SKY_DATABASE_URL"], !url.isEmpty {
            let configuration = try DatabaseConfiguration(url: url)
            logger.info("using database \(configuration.displayName)")
            return SkyDatabase(configuration: configuration, embedded: nil)
        }
        let directory = dataDirectory ?? defaultDataDirectory()
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.port = port
        options.listenOnLoopback = listenOnLoopback
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
    @discardableResult
    public func withClient<T: Sendable>(maxConnections: Int = 20, _ body: (PostgresClient) async throws -> T) async throws -> T {
        var clientConfiguration = configuration.client
        clientConfiguration.options.maximumConnections = maxConnections
        let client = PostgresClient(configuration: clientConfiguration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Stops the embedded server, if Sky started one.
    public func close() throws {
        try embedded?.stop()
    }
}
