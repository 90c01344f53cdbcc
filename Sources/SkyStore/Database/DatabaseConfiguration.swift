import Foundation
import NIOSSL
public import PostgresNIO

/// How to reach Sky's database: a pool configuration for queries and a single-connection one for LISTEN.
public struct DatabaseConfiguration: Sendable {
    /// For the connection pool.
    public var client: PostgresClient.Configuration
    /// For dedicated connections (LISTEN for workers).
    public var connection: PostgresConnection.Configuration
    /// Where it points, without the password, for logs.
    public var displayName: String

    /// Both configurations over a Unix socket.
    public init(unixSocketPath: String, username: String, password: String? = nil, database: String) {
        client = PostgresClient.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        connection = PostgresConnection.Configuration(unixSocketPath: unixSocketPath, username: username, password: password, database: database)
        displayName = "postgresql://\(username)@/\(database)?host=\(URL(fileURLWithPath: unixSocketPath).deletingLastPathComponent().path)"
    }

    /// Parses `postgres://user:password@host:port/database?sslmode=…` or, for a Unix socket,
    /// `postgresql://user@/database?host=/socket/dir`. sslmode has libpq's meanings: disable, prefer (the default for
    /// TCP), require (encrypted, the certificate not checked), verify-ca (the certificate checked against `sslrootcert`,
    /// else the system's trust roots) and verify-full (the host name checked too).
    public init(url text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw DatabaseURLError("'\(Self.redacted(text))' is not a postgres:// URL")
        }
        let query = Dictionary((components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
        let password = components.password.flatMap { $0.removingPercentEncoding }
        let database = String(components.path.drop { $0 == "/" }).removingPercentEncoding.flatMap { $0.isEmpty ? nil : $0 } ?? username
        let port = components.port ?? Int(query["port"] ?? "") ?? 5432
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            self = DatabaseConfiguration(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: username, password: password, database: database)
            return
        }
        guard let host = components.host, !host.isEmpty else {
            throw DatabaseURLError("'\(Self.redacted(text))' names no host (use ?host=/socket/dir for a Unix socket)")
        }
        let mode = query["sslmode"] ?? "prefer"
        let clientTLS: PostgresClient.Configuration.TLS
        let connectionTLS: PostgresConnection.Configuration.TLS
        switch mode {
        case "disable":
            clientTLS = .disable
            connectionTLS = .disable
        case "prefer", "allow":
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            clientTLS = .prefer(tls)
            connectionTLS = .prefer(try NIOSSLContext(configuration: tls))
        case "require", "verify-ca", "verify-full":
            var tls = TLSConfiguration.makeClientConfiguration()
            switch mode {
            case "require": tls.certificateVerification = .none
            case "verify-ca": tls.certificateVerification = .noHostnameVerification
            default: tls.certificateVerification = .fullVerification
            }
            if let root = query["sslrootcert"] { tls.trustRoots = .file(root) }
            clientTLS = .require(tls)
            connectionTLS = .require(try NIOSSLContext(configuration: tls))
        default:
            throw DatabaseURLError("sslmode '\(mode)' is not supported; use disable, prefer, require, verify-ca or verify-full")
        }
        client = PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database, tls: clientTLS)
        connection = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: connectionTLS)
        displayName = "postgresql://\(username)@\(host):\(port)/\(database)"
    }

    /// The URL with any password replaced, safe for logs and errors.
    static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? "<url>"
    }
}

/// A database URL that cannot be used, with why.
public struct DatabaseURLError: Error, CustomStringConvertible, Sendable {
    /// What is wrong with the URL (password removed).
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension EmbeddedPostgres {
    /// Both configurations for `database` over the cluster's Unix socket.
    public func databaseConfiguration(database: String = EmbeddedPostgres.database) -> DatabaseConfiguration {
        DatabaseConfiguration(unixSocketPath: socketPath, username: Self.username, database: database)
    }
}
