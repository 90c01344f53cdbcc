import Logging
public import PostgresNIO

/// Applies `Migration.all` in order, each in its own transaction, recorded in `schema_migrations`.
///
/// A session-level advisory lock makes concurrent starts safe: the second process waits, then finds
/// nothing left to do. A database migrated by a newer Sky (a version this binary does not know) is refused
/// rather than used with the wrong schema.
public struct Migrator: Sendable {
    /// Advisory lock key: "sky-migrate" in ASCII, so it is recognisable in pg_locks.
    static let lockKey: Int64 = 0x736B_792D_6D69_67

    private let client: PostgresClient
    private let migrations: [Migration]
    private let logger: Logger

    /// A migrator for `client`; tests may pass their own `migrations`.
    public init(client: PostgresClient, migrations: [Migration] = Migration.all, logger: Logger = Logger(label: "sky.migrate")) {
        self.client = client
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies every pending migration and returns those it applied.
    @discardableResult
    public func migrate() async throws -> [Migration] {
        try await client.withConnection { connection in
            _ = try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
            do {
                let applied = try await migrateLocked(connection)
                _ = try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                return applied
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                throw error
            }
        }
    }

    /// The versions already applied to the database, with their checksums.
    public func appliedVersions() async throws -> [Int: String] {
        try await client.withConnection { connection in
            try await ensureTable(connection)
            return try await applied(connection)
        }
    }

    /// Whether every migration this binary knows is applied and none is unknown.
    public func isCurrent() async throws -> Bool {
        let applied = try await appliedVersions()
        return Set(applied.keys) == Set(migrations.map(\.version))
    }

    private func migrateLocked(_ connection: PostgresConnection) async throws -> [Migration] {
        try await ensureTable(connection)
        let applied = try await applied(connection)
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        if let newest = applied.keys.max(), newest > (migrations.last?.version ?? 0) {
            throw MigrationError.schemaTooNew(databaseVersion: newest, binaryVersion: migrations.last?.version ?? 0)
        }
        for (version, checksum) in applied {
            guard let migration = known[version] else { throw MigrationError.unknownVersion(version) }
            if migration.checksum != checksum {
                throw MigrationError.modifiedAfterApplying(version: version, name: migration.name)
            }
        }
        var done: [Migration] = []
        for migration in migrations where applied[migration.version] == nil {
            logger.info("applying migration \(migration.version)_\(migration.name)")
            do {
                try await connection.withTransaction(logger: logger) { connection in
                    for statement in SQLScript.statements(migration.sql) {
                        _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    _ = try await connection.query(
                        "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                        logger: logger
                    )
                }
            } catch {
                throw MigrationError.failed(version: migration.version, name: migration.name, underlying: String(reflecting: error))
            }
            done.append(migration)
        }
        return done
    }

    private func ensureTable(_ connection: PostgresConnection) async throws {
        _ = try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """,
            logger: logger
        )
    }

    private func applied(_ connection: PostgresConnection) async throws -> [Int: String] {
        var result: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) { result[version] = checksum }
        return result
    }
}

/// Why the schema could not be brought up to date.
public enum MigrationError: Error, CustomStringConvertible, Equatable {
    /// The database was migrated by a newer Sky; this binary must not touch it.
    case schemaTooNew(databaseVersion: Int, binaryVersion: Int)
    /// The database records a version this binary does not ship (a gap from another branch).
    case unknownVersion(Int)
    /// An applied migration's SQL no longer matches what the binary carries.
    case modifiedAfterApplying(version: Int, name: String)
    /// A migration's SQL failed; its transaction was rolled back.
    case failed(version: Int, name: String, underlying: String)

    public var description: String {
        switch self {
        case .schemaTooNew(let database, let binary):
            "the database schema is at version \(database) but this Sky binary knows versions up to \(binary); upgrade Sky before using this database"
        case .unknownVersion(let version):
            "the database has migration \(version) applied, which this Sky binary does not ship"
        case .modifiedAfterApplying(let version, let name):
            "migration \(version)_\(name) was changed after it was applied; add a new migration instead of editing an applied one"
        case .failed(let version, let name, let underlying):
            "migration \(version)_\(name) failed and was rolled back: \(underlying)"
        }
    }
}
