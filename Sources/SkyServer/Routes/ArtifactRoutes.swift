import Foundation
import HTTPTypes
import Hummingbird
import SkyCore
import NIOCore
import NIOFoundationEssentialsCompat
import SkyStore

extension SkyAPI {
    /// Media types an upload may declare, and the artifact kind each defaults to.
    static let uploadMediaTypes: [String: ArtifactKind] = [
        "application/json": .dataset, "application/x-ndjson": .dataset, "application/jsonl": .dataset,
        "application/octet-stream": .other,
    ]

    func addArtifactRoutes(to router: Router<SkyRequestContext>) {
        router.post("/v1/artifacts") { request, context in
            try context.require(.submit)
            let query = QueryParameters(request: request, context: context)
            guard let name = query.string("name"), name.count <= 255 else {
                throw APIProblem.badRequest("query parameter 'name' (1 to 255 characters) is required")
            }
            let declared = (request.headers[.contentType] ?? "application/octet-stream")
                .split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            guard let defaultKind = Self.uploadMediaTypes[declared] else {
                throw APIProblem.unsupportedMediaType("upload \(Self.uploadMediaTypes.keys.sorted().joined(separator: ", ")), not \(declared)")
            }
            let kind = try query.artifactKind() ?? defaultKind
            if let length = request.headers[.contentLength].flatMap(Int64.init), length > configuration.maxArtifactBytes {
                throw APIProblem.tooLarge(limit: configuration.maxArtifactBytes)
            }
            // No dataset, model or benchmark is empty: an upload with no body is a mistake (a wrong path, a failed pipe).
            let emptyUpload = APIProblem.invalid("empty-upload", "the upload is empty (0 bytes); send the file as the body",
                                                 errors: [SpecIssue("", "the body is empty")])
            if request.headers[.contentLength] == "0" || (request.headers[.contentLength] == nil && request.headers[.transferEncoding] == nil) {
                throw emptyUpload
            }
            let layout: StreamingJSONValidator.Layout? = switch declared {
            case "application/json": .document
            case "application/x-ndjson", "application/jsonl": .jsonLines
            default: nil
            }
            let metadata: JSONValue = .object(["uploadedBy": .string(context.token?.name ?? "")])
            // No database deadline here: an upload legitimately takes as long as the bytes take to arrive.
            let record: ArtifactRecord
            do {
                record = try await artifacts.store(
                    NewArtifact(kind: kind, name: name, mediaType: declared, metadata: metadata),
                    chunks: BodyChunks(body: request.body, validator: layout.map { StreamingJSONValidator(layout: $0) }))
            } catch let failure as JSONSyntax.Failure {
                // The store deleted what it had written; say where the body stopped being valid.
                throw APIProblem.invalid("malformed-dataset", "the body is not valid \(layout == .jsonLines ? "JSON Lines" : "JSON"): \(failure)",
                                         errors: [SpecIssue("", failure.description)])
            }
            if record.sizeBytes == 0 {
                try await database { try await artifacts.delete(record.id) }
                throw emptyUpload
            }
            return JSONBody.response(APIRepresentation.artifact(record), status: .created, headers: [.location: "/v1/artifacts/\(record.id)"])
        }

        router.get("/v1/artifacts") { request, context in
            let query = QueryParameters(request: request, context: context)
            let kind = try query.artifactKind()
            let job = try query.integer("job", in: 1...Int64.max)
            let limit = Int(try query.integer("limit", in: 1...1000) ?? 100)
            let list = try await database { try await artifacts.list(kind: kind, jobID: job, limit: limit) }
            return JSONBody.response(.object(["artifacts": .array(list.map(APIRepresentation.artifact))]))
        }

        router.get("/v1/artifacts/:id") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let record = try await database { try await artifacts.record(id) }
            return JSONBody.response(APIRepresentation.artifact(record))
        }

        router.get("/v1/artifacts/:id/content") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let record = try await database { try await artifacts.record(id) }
            let store = artifacts
            // Content-Length is set, so a download cut short by a failed hash check is visibly truncated.
            let body = ResponseBody(contentLength: Int(record.sizeBytes)) { writer in
                try await store.read(id) { chunk in try await writer.write(ByteBuffer(data: chunk)) }
                try await writer.finish(nil)
            }
            let filename = record.name.replacingOccurrences(of: "\"", with: "")
            return Response(
                status: .ok,
                headers: [
                    .contentType: record.mediaType, .eTag: "\"\(record.sha256)\"",
                    .contentDisposition: "attachment; filename=\"\(filename)\"",
                    HTTPField.Name("X-Sky-SHA256")!: record.sha256,
                ],
                body: body)
        }
    }
}

/// A request body as `Data` chunks for the artifact store, checked as JSON on the way when asked: a
/// syntax error ends the stream with the error, and the store then keeps nothing.
struct BodyChunks: AsyncSequence, Sendable {
    typealias Element = Data
    let body: RequestBody
    let validator: StreamingJSONValidator?

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        var validator: StreamingJSONValidator?

        mutating func next() async throws -> Data? {
            guard let buffer = try await base.next() else {
                try validator?.finish()
                return nil
            }
            if validator != nil {
                try buffer.withUnsafeReadableBytes { raw in try validator!.push(raw) }
            }
            return Data(buffer.readableBytesView)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: body.makeAsyncIterator(), validator: validator) }
}
