import AsyncHTTPClient
import Foundation
import Logging
public import NIOCore
import NIOHTTP1

/// A typed client of the Sky API (api/openapi.yaml) over one AsyncHTTPClient.
///
/// Close it with `shutdown()`, or use `withAPIClient`, which does so also on error.
public final class APIClient: Sendable {
    /// Where requests go and with which token.
    public let connection: ServerConnection
    let http: HTTPClient
    /// Deadline of ordinary requests; streams (log follow, downloads, uploads) are bounded by read timeouts instead.
    let requestTimeout: TimeAmount

    /// A client for `connection`.
    public init(connection: ServerConnection, requestTimeout: TimeAmount = .seconds(60)) {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(5), read: .seconds(120)))
        // A CLI talking to one server wants "connection refused" at once, not after the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.connection = connection
        self.requestTimeout = requestTimeout
    }

    /// Closes the connections; call once, after the last request.
    public func shutdown() async throws {
        try await http.shutdown()
    }

    /// A request to `path` (absolute, starting with `/`) with `query` items whose value is not nil.
    func makeRequest(_ method: HTTPMethod, _ path: String, query: [(String, String?)] = []) -> HTTPClientRequest {
        var url = connection.server + path
        let items = query.compactMap { name, value in value.map { "\(Self.percentEncoded(name))=\(Self.percentEncoded($0))" } }
        if !items.isEmpty { url += "?" + items.joined(separator: "&") }
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "skyctl")
        if let token = connection.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    /// Sends `request`; any answer of 400 or more becomes the matching `APIError`.
    func send(_ request: HTTPClientRequest, deadline: NIODeadline? = nil) async throws -> HTTPClientResponse {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, deadline: deadline ?? .now() + requestTimeout)
        } catch {
            if let reason = ConnectionFailure.reason(error) { throw APIError.unreachable(server: connection.server, reason: reason) }
            throw error
        }
        guard response.status.code >= 400 else { return response }
        let body = try await response.body.collect(upTo: 1 << 20)
        throw error(status: Int(response.status.code), body: Data(body.readableBytesView))
    }

    /// The error for an answer with `status`.
    func error(status: Int, body: Data) -> APIError {
        guard let problem = try? APICoding.decoder().decode(Problem.self, from: body) else {
            return .invalidResponse(status: status, detail: String(decoding: body.prefix(500), as: UTF8.self))
        }
        switch status {
        case 401: return .unauthorized(problem, tokenSource: connection.tokenSource)
        case 403: return .forbidden(problem, tokenSource: connection.tokenSource)
        case 404: return .notFound(problem)
        default: return .problem(problem)
        }
    }

    /// Sends `request` and decodes the JSON answer as `T`.
    func json<T: Decodable>(_ type: T.Type, _ request: HTTPClientRequest) async throws -> T {
        let response = try await send(request)
        let body = try await response.body.collect(upTo: 256 << 20)
        do {
            return try APICoding.decoder().decode(T.self, from: Data(body.readableBytesView))
        } catch {
            throw APIError.invalidResponse(status: Int(response.status.code), detail: "cannot decode \(T.self): \(error)")
        }
    }

    /// `request` with `value` as its JSON body.
    func withJSONBody(_ request: HTTPClientRequest, _ value: some Encodable) throws -> HTTPClientRequest {
        var request = request
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try APICoding.encoder().encode(value)))
        return request
    }

    /// RFC 3986 unreserved characters stay; everything else (including `/` in a path segment) is escaped.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Runs `body` with a client for `connection`, shutting the client down afterwards, also on error.
public func withAPIClient<T: Sendable>(_ connection: ServerConnection, _ body: (APIClient) async throws -> T) async throws -> T {
    let client = APIClient(connection: connection)
    do {
        let result = try await body(client)
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
