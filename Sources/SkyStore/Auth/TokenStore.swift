import Crypto
public import Foundation
public import Logging
public import PostgresNIO
public import SkyCore

/// An API token as stored; the secret itself is never stored, only its SHA-256.
public struct TokenRecord: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// The token's first characters (not secret), to tell tokens apart.
    public var prefix: String
    public var scopes: Set<TokenScope>
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    /// Usable now: not revoked, not expired.
    public func isActive(at now: Date = Date()) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > now } ?? true)
    }
}

/// Why a token operation failed.
public enum TokenError: Error, CustomStringConvertible, Equatable, Sendable {
    case invalidName(String)
    case noScopes
    case notFound(String)

    public var description: String {
        switch self {
        case .invalidName(let name): "token name '\(name)' must be 1 to 100 characters"
        case .noScopes: "a token needs at least one scope (read, submit, admin)"
        case .notFound(let what): "no token matches '\(what)'"
        }
    }
}

/// Creates, lists, revokes and checks API tokens.
public struct TokenStore: Sendable {
    /// Every token starts with this, so secret scanners and people recognise one.
    public static let tokenPrefix = "sky_"
    /// Characters of the token kept as its visible prefix.
    static let visiblePrefixLength = 12

    let client: PostgresClient
    let logger: Logger

    /// A store over `client`.
    public init(client: PostgresClient, logger: Logger = Logger(label: "sky.tokens")) {
        self.client = client
        self.logger = logger
    }

    /// Makes a token and returns its record and the secret, which is shown once and never again.
    public func create(name: String, scopes: Set<TokenScope>, expiresAt: Date? = nil) async throws -> (record: TokenRecord, secret: String) {
        guard !name.isEmpty, name.count <= 100 else { throw TokenError.invalidName(name) }
        guard !scopes.isEmpty else { throw TokenError.noScopes }
        let secret = Self.tokenPrefix + Self.base62(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        let prefix = String(secret.prefix(Self.visiblePrefixLength))
        let rows = try await client.query(
            """
            INSERT INTO api_tokens (name, prefix, secret_sha256, scopes, expires_at)
            VALUES (\(name), \(prefix), \(Self.hash(secret)), \(scopes.sorted().map(\.rawValue)), \(expiresAt))
            RETURNING id, created_at
            """,
            logger: logger)
        for try await (id, created) in rows.decode((Int64, Date).self) {
            let record = TokenRecord(
                id: id, name: name, prefix: prefix, scopes: scopes, createdAt: created, expiresAt: expiresAt,
                lastUsedAt: nil, revokedAt: nil)
            return (record, secret)
        }
        throw TokenError.notFound(name)
    }

    /// Every token, newest first.
    public func list() async throws -> [TokenRecord] {
        try await records(
            "SELECT id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_tokens ORDER BY id DESC")
    }

    /// Revokes the token with this id, name or prefix; returns what was revoked. Revoking twice is harmless.
    @discardableResult
    public func revoke(_ selector: String) async throws -> [TokenRecord] {
        let id = Int64(selector)
        let rows = try await client.query(
            """
            UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now())
            WHERE id = \(id) OR name = \(selector) OR prefix = \(selector)
            RETURNING id
            """,
            logger: logger)
        var ids: [Int64] = []
        for try await id in rows.decode(Int64.self) { ids.append(id) }
        guard !ids.isEmpty else { throw TokenError.notFound(selector) }
        return try await list().filter { ids.contains($0.id) }
    }

    /// The active token whose secret this is, or nil. Marks it used (at most once a minute, to keep
    /// authentication a read in the common case).
    public func authenticate(_ secret: String) async throws -> TokenRecord? {
        guard secret.hasPrefix(Self.tokenPrefix), secret.utf8.count < 200 else { return nil }
        let found = try await records(
            """
            WITH touched AS (
                UPDATE api_tokens SET last_used_at = now()
                WHERE secret_sha256 = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
                  AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
            )
            SELECT id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
            WHERE secret_sha256 = $1
            """,
            binds: { try $0.append(Self.hash(secret), context: .default) })
        return found.first { $0.isActive() }
    }

    /// How many tokens can still be used.
    public func activeCount() async throws -> Int {
        let rows = try await client.query(
            "SELECT count(*)::int FROM api_tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())",
            logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    private func records(_ sql: String, binds: (inout PostgresBindings) throws -> Void = { _ in }) async throws -> [TokenRecord] {
        var bindings = PostgresBindings()
        try binds(&bindings)
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var records: [TokenRecord] = []
        for try await (id, name, prefix, scopes, created, expires, used, revoked)
            in rows.decode((Int64, String, String, [String], Date, Date?, Date?, Date?).self) {
            records.append(TokenRecord(
                id: id, name: name, prefix: prefix, scopes: Set(scopes.compactMap(TokenScope.init(rawValue:))),
                createdAt: created, expiresAt: expires, lastUsedAt: used, revokedAt: revoked))
        }
        return records
    }

    /// SHA-256 of the token, as stored.
    static func hash(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Base62 of `bytes`: URL-, shell- and header-safe, no padding.
    static func base62(_ bytes: [UInt8]) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var digits = bytes
        var out: [Character] = []
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in digits.indices {
                let value = remainder * 256 + Int(digits[index])
                digits[index] = UInt8(value / 62)
                remainder = value % 62
            }
            out.append(alphabet[remainder])
        }
        return String(out.reversed())
    }
}
