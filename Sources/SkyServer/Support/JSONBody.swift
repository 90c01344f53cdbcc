import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat
import SkyCore

/// Reading JSON bodies and writing JSON responses.
enum JSONBody {
    /// The body parsed as JSON; 413 past `limit`, 400 when it is not JSON (with where, when Foundation says).
    static func read(_ request: Request, limit: Int) async throws -> JSONValue {
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIProblem.unsupportedMediaType("send the body as application/json, not \(type)")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIProblem.tooLarge(limit: Int64(limit))
        }
        guard buffer.readableBytes > 0 else { throw APIProblem.malformedJSON("the body is empty; expected a JSON object") }
        let bytes = buffer.readableBytesView
        let value: JSONValue
        do {
            value = try JSONValue.parse(Data(bytes))
        } catch {
            throw APIProblem.malformedJSON(JSONSyntax.firstError(in: bytes).map(\.description) ?? "the body is not valid JSON: \(error)")
        }
        // PostgreSQL's text and jsonb cannot hold U+0000: refuse it here, where the pointer is known, not as a 500 later.
        if let pointer = value.firstPointer(where: { $0.unicodeScalars.contains("\0") }) {
            throw APIProblem.invalid("invalid-text", "\(pointer.isEmpty ? "the body" : pointer) contains a NUL character (U+0000), "
                + "which Sky cannot store", errors: [SpecIssue(pointer, "contains a NUL character (U+0000), which Sky cannot store")])
        }
        return value
    }

    /// A JSON response.
    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: value.encoded())))
    }
}
