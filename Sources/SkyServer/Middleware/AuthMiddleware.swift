import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SkyCore
import SkyStore

/// Requires a valid bearer token on every route but the open ones, and puts it in the context.
///
/// Verified tokens are cached for a few seconds (by the SHA-256 of the secret, never the secret), so
/// authentication is not a database round trip per request; a revocation therefore takes effect within
/// `tokenCacheSeconds`. The token itself never reaches a log.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = SkyRequestContext

    /// Paths anyone may fetch: probes and the contract.
    static let openPaths: Set<String> = ["/healthz", "/readyz", "/openapi.yaml"]

    let tokens: TokenStore
    let cache: TokenCache

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if Self.openPaths.contains(request.uri.path) || request.uri.path == "/" { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIProblem.unauthorized("send 'Authorization: Bearer <token>' (skyd writes an admin token to the skyctl config on first start)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIProblem.unauthorized("the Authorization header must be 'Bearer <token>'")
        }
        let secret = String(parts[1]).trimmingCharacters(in: .whitespaces)
        guard let token = try await cache.token(for: secret, lookup: { try await tokens.authenticate($0) }) else {
            throw APIProblem.unauthorized("the token is unknown, revoked or expired")
        }
        var context = context
        context.token = token
        context.logger[metadataKey: "token"] = .string(token.prefix)
        return try await next(request, context)
    }
}

/// Recently verified tokens by secret hash, each trusted until its entry expires.
actor TokenCache {
    private var entries: [SHA256Digest: (record: TokenRecord?, until: ContinuousClock.Instant)] = [:]
    private let ttl: Duration

    init(ttl: Duration) { self.ttl = ttl }

    func token(for secret: String, lookup: @Sendable (String) async throws -> TokenRecord?) async throws -> TokenRecord? {
        let key = SHA256.hash(data: Data(secret.utf8))
        let now = ContinuousClock.now
        if let entry = entries[key], entry.until > now { return entry.record }
        let record = try await lookup(secret)
        // Unknown tokens are cached too, so a client looping with a bad token costs one query per TTL.
        if entries.count > 10_000 { entries.removeAll() }
        entries[key] = (record, now + ttl)
        return record
    }
}
