import AsyncHTTPClient
import Crypto
public import Foundation
import NIOCore
import NIOFileSystem
import NIOHTTP1
public import SkyCore

extension APIClient {
    /// POST /v1/artifacts: streams `file` to the server in 1 MiB chunks (never held whole in memory).
    ///
    /// The media type follows the extension unless given: `.json` is JSON, `.jsonl`/`.ndjson` JSON Lines,
    /// anything else bytes. The name defaults to the file's name.
    public func uploadArtifact(_ file: URL, name: String? = nil, kind: ArtifactKind? = nil, mediaType: String? = nil) async throws -> Artifact {
        let type = mediaType ?? Self.mediaType(forExtension: file.pathExtension)
        var request = makeRequest(.POST, "/v1/artifacts", query: [("name", name ?? file.lastPathComponent), ("kind", kind?.rawValue)])
        request.headers.add(name: "Content-Type", value: type)
        return try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(file.path)) { handle in
            let size = try await handle.info().size
            request.body = .stream(handle.readChunks(in: 0..<size, chunkLength: .mebibytes(1)), length: .known(size))
            let response = try await send(request, deadline: .distantFuture)
            let body = try await response.body.collect(upTo: 1 << 20)
            do {
                return try APICoding.decoder().decode(Artifact.self, from: Data(body.readableBytesView))
            } catch {
                throw APIError.invalidResponse(status: Int(response.status.code), detail: "cannot decode Artifact: \(error)")
            }
        }
    }

    /// GET /v1/artifacts: newest first.
    public func artifacts(kind: ArtifactKind? = nil, producedBy job: Int64? = nil, limit: Int? = nil) async throws -> [Artifact] {
        try await json(ArtifactList.self, makeRequest(.GET, "/v1/artifacts", query: [
            ("kind", kind?.rawValue), ("job", job.map(String.init)), ("limit", limit.map(String.init)),
        ])).artifacts
    }

    /// GET /v1/artifacts/{id}.
    public func artifact(_ id: Int64) async throws -> Artifact {
        try await json(Artifact.self, makeRequest(.GET, "/v1/artifacts/\(id)"))
    }

    /// GET /v1/artifacts/{id}/content into `destination`, streamed.
    ///
    /// The bytes go to a temporary file beside `destination`, which replaces it only once every byte has
    /// arrived and their SHA-256 equals the server's `X-Sky-SHA256`; otherwise nothing is left behind.
    /// Returns the SHA-256 and the byte count.
    @discardableResult
    public func downloadArtifact(_ id: Int64, to destination: URL) async throws -> (sha256: String, bytes: Int64) {
        let response = try await send(makeRequest(.GET, "/v1/artifacts/\(id)/content"), deadline: .distantFuture)
        guard let expected = response.headers.first(name: "X-Sky-SHA256")?.lowercased() else {
            throw APIError.invalidResponse(status: Int(response.status.code), detail: "no X-Sky-SHA256 header")
        }
        let directory = destination.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(destination.lastPathComponent).part-\(UInt32.random(in: 0...UInt32.max))")
        var hasher = SHA256()
        var count: Int64 = 0
        do {
            try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(temporary.path), options: .newFile(replaceExisting: false)) { handle in
                try await handle.withBufferedWriter { writer in
                    for try await buffer in response.body {
                        buffer.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                        count += Int64(buffer.readableBytes)
                        try await writer.write(contentsOf: buffer)
                    }
                }
            }
            let actual = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            guard actual == expected else { throw APIError.checksumMismatch(expected: expected, actual: actual) }
            guard rename(temporary.path, destination.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path])
            }
            return (actual, count)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The media type an upload of a file with `pathExtension` declares.
    public static func mediaType(forExtension pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "json": "application/json"
        case "jsonl", "ndjson": "application/x-ndjson"
        default: "application/octet-stream"
        }
    }
}
