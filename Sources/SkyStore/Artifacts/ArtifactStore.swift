public import Foundation
public import SkyCore

/// Where artifacts live. PostgreSQL (chunked) is the default, so a fleet needs nothing but the database;
/// a filesystem or object-store backend can implement the same protocol later.
public protocol ArtifactStore: Sendable {
    /// Streams `chunks` into a new artifact and returns it once complete; nothing is visible before that,
    /// and nothing is kept if the stream fails or passes the size limit.
    func store<Chunks: AsyncSequence & Sendable>(_ artifact: NewArtifact, chunks: Chunks) async throws -> ArtifactRecord
    where Chunks.Element == Data

    /// The description of a ready artifact.
    func record(_ id: Int64) async throws -> ArtifactRecord

    /// Calls `body` with each stored chunk in order, verifying the size and hash at the end.
    func read(_ id: Int64, _ body: (Data) async throws -> Void) async throws

    /// Ready artifacts, newest first, optionally of one kind or from one job.
    func list(kind: ArtifactKind?, jobID: Int64?, limit: Int) async throws -> [ArtifactRecord]

    /// Deletes an artifact and its bytes.
    func delete(_ id: Int64) async throws

    /// Deletes an artifact only while `run` still holds its job, in one step with that check, so a run that lost its
    /// lease (its writes arriving late, after a partition) cannot remove what the job's next attempt stored.
    func delete(_ id: Int64, heldBy run: JobToken) async throws
}

extension ArtifactStore {
    /// Stores a file, read in chunks.
    public func store(_ artifact: NewArtifact, file: URL, chunkSize: Int = 1 << 20) async throws -> ArtifactRecord {
        try await store(artifact, chunks: FileChunks(url: file, chunkSize: chunkSize))
    }

    /// Writes an artifact's bytes to `file` (replaced atomically once complete and verified).
    public func download(_ id: Int64, to file: URL) async throws {
        let partial = file.appendingPathExtension("partial-\(UInt32.random(in: 0...UInt32.max))")
        _ = FileManager.default.createFile(atPath: partial.path, contents: nil)
        let handle = try FileHandle(forWritingTo: partial)
        do {
            try await read(id) { chunk in try handle.write(contentsOf: chunk) }
            try handle.close()
            if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
            try FileManager.default.moveItem(at: partial, to: file)
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }
}

/// A file as an async sequence of chunks, read lazily so memory stays bounded.
public struct FileChunks: AsyncSequence, Sendable {
    public typealias Element = Data
    let url: URL
    let chunkSize: Int

    /// Chunks of `url`, each `chunkSize` bytes (the last may be shorter).
    public init(url: URL, chunkSize: Int = 1 << 20) {
        self.url = url
        self.chunkSize = chunkSize
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(handle: try? FileHandle(forReadingFrom: url), url: url, chunkSize: chunkSize)
    }

    /// Reads the next chunk on demand.
    public struct Iterator: AsyncIteratorProtocol {
        let handle: FileHandle?
        let url: URL
        let chunkSize: Int

        public mutating func next() async throws -> Data? {
            guard let handle else { throw CocoaError(.fileReadNoSuchFile, userInfo: [NSFilePathErrorKey: url.path]) }
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty {
                try? handle.close()
                return nil
            }
            return data
        }
    }
}
