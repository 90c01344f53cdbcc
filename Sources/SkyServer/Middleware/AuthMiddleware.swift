import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SkyCore
import SkyStore

/// Requires a valid token on every route but the open ones, and puts it in the context.
///
/// The token comes from `Authorization: Bearer` (skyctl, scripts) or, when that header is absent, from the
/// web page's HttpOnly cookie, so the page's scripts call the same API with the same token. A page request
/// without a usable token is redirected to the log-in page instead of getting a problem document.
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
    /// The database deadline: a token lookup while the database is down is a 503 in time, not a hung request.
    var databaseTimeoutSeconds: Double = 10

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if Self.openPaths.contains(path) || WebPaths.isOpen(path) { return try await next(request, context) }
        if WebPaths.isPage(path) {
            guard let token = try await pageToken(request) else { return WebPaths.redirectToLogin(from: request) }
            return try await next(request, authenticated(context, token))
        }
        let secret: String
        if let header = request.headers[.authorization] {
            guard let bearer = Self.bearer(header) else {
                throw APIProblem.unauthorized("the Authorization header must be 'Bearer <token>'")
            }
            secret = bearer
        } else if let cookie = SessionCookie.token(in: request) {
            // SameSite=Strict keeps other sites from sending the cookie; refusing a foreign Origin on
            // writes is the second lock on that door.
            if ![HTTPRequest.Method.get, .head].contains(request.method), !WebPaths.isSameOrigin(request) {
                throw APIProblem("cross-site", .forbidden, title: "Cross-site request refused",
                                 detail: "a request from another site cannot use the web page's log-in")
            }
            secret = cookie
        } else {
            throw APIProblem.unauthorized("send 'Authorization: Bearer <token>' (skyd writes an admin token to the skyctl config on first start)")
        }
        guard let token = try await cache.token(for: secret, lookup: { secret in
            try await DatabaseAvailability.withDeadline(seconds: databaseTimeoutSeconds) { try await tokens.authenticate(secret) }
        }) else {
            throw APIProblem.unauthorized("the token is unknown, revoked or expired")
        }
        return try await next(request, authenticated(context, token))
    }

    /// The secret of an `Authorization: Bearer <token>` header; nil for any other form.
    static func bearer(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    /// The token a page request carries (bearer first, then the cookie), if it is valid.
    private func pageToken(_ request: Request) async throws -> TokenRecord? {
        guard let secret = request.headers[.authorization].flatMap(Self.bearer) ?? SessionCookie.token(in: request) else { return nil }
        return try await cache.token(for: secret, lookup: { secret in
            try await DatabaseAvailability.withDeadline(seconds: databaseTimeoutSeconds) { try await tokens.authenticate(secret) }
        })
    }

    private func authenticated(_ context: Context, _ token: TokenRecord) -> Context {
        var context = context
        context.token = token
        context.logger[metadataKey: "token"] = .string(token.prefix)
        return context
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
