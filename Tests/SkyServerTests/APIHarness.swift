import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

/// A response, with helpers for the JSON and problem bodies.
struct APIResponse {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: Data

    var json: JSONValue { (try? JSONValue.parse(body)) ?? .null }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The problem's stable name (last segment of `type`).
    var problem: String? { json["type"]?.stringValue?.split(separator: "/").last.map(String.init) }
    var pointers: [String] {
        guard case .array(let errors)? = json["errors"] else { return [] }
        return errors.compactMap { $0["pointer"]?.stringValue }
    }
}

/// Drives the API in-process; every response is checked against api/openapi.yaml, and a response that
/// does not conform fails the test.
struct APITester {
    let client: any TestClientProtocol
    let db: TestDatabase
    /// Tokens of each scope.
    let admin: String
    let submitter: String
    let reader: String

    @discardableResult
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String?? = .none, json: JSONValue? = nil, body: Data? = nil,
        headers: HTTPFields = [:], outsideContract: Bool = false, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        var headers = headers
        switch token {
        case .none: headers[.authorization] = "Bearer \(admin)"
        case .some(.some(let value)): headers[.authorization] = "Bearer \(value)"
        case .some(.none): break
        }
        var buffer: ByteBuffer?
        if let json {
            buffer = ByteBuffer(bytes: json.encoded())
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: buffer)
        let data = response.body.readableBytes > 0 ? Data(response.body.readableBytesView) : Data()
        let path = String(uri.split(separator: "?", maxSplits: 1)[0])
        // `outsideContract`: a request the contract deliberately does not describe (a method or path it lacks).
        for problem in outsideContract ? [] : OpenAPIContract.shared.check(
            method: method.rawValue, path: path, status: Int(response.status.code),
            contentType: response.headers[.contentType], body: data) {
            Issue.record(Comment(rawValue: problem), sourceLocation: sourceLocation)
        }
        if response.status.code >= 400 {
            #expect(response.headers[.contentType] == "application/problem+json", "\(method) \(uri)", sourceLocation: sourceLocation)
        }
        return APIResponse(status: response.status, headers: response.headers, body: data)
    }

    /// Submits a job through the API and returns its id.
    func submit(_ body: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int64 {
        let response = try await request(.post, "/v1/jobs", json: body, sourceLocation: sourceLocation)
        #expect(response.status == .created, "\(response.text)", sourceLocation: sourceLocation)
        return Int64(response.json["id"]?.numberValue ?? -1)
    }
}

/// Runs `body` against an API over a fresh database, in-process (`.router`) or on a socket (`.live`).
///
/// The database deadline is 60 s, not the server's 10: the test process shares two cores with CPU-bound tests that
/// can keep its request tasks off the cooperative threads for seconds. StreamingAndOutageTests tests the deadline.
func withAPI<T: Sendable>(
    _ setup: TestingSetup = .router, configuration: SkyServerConfiguration = SkyServerConfiguration(port: 0, databaseTimeoutSeconds: 60),
    _ body: @escaping @Sendable (APITester) async throws -> T
) async throws -> T {
    try await withTestDatabase { db in
        let tokens = TokenStore(client: db.client)
        let admin = try await tokens.create(name: "test-admin", scopes: [.admin]).secret
        let submitter = try await tokens.create(name: "test-submit", scopes: [.submit]).secret
        let reader = try await tokens.create(name: "test-read", scopes: [.read]).secret
        let api = SkyAPI(client: db.client, configuration: configuration)
        return try await api.makeApplication().test(setup) { client in
            try await body(APITester(client: client, db: db, admin: admin, submitter: submitter, reader: reader))
        }
    }
}

extension JSONValue {
    /// `["kind": "sleep", "spec": [...]]` without the enum cases.
    static func sleepJob(_ seconds: Double = 0, extra: [String: JSONValue] = [:]) -> JSONValue {
        var fields: [String: JSONValue] = ["kind": .string("sleep"), "spec": .object(["durationSeconds": .number(seconds)])]
        fields.merge(extra) { _, new in new }
        return .object(fields)
    }

    subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }
}
