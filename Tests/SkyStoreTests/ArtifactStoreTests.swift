import Crypto
import Foundation
import PostgresNIO
import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// `count` pseudo-random bytes from a fixed seed, so failures reproduce.
func testBytes(_ count: Int, seed: UInt64 = 42) -> Data {
    var state = seed
    var data = Data(capacity: count)
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        data.append(UInt8(truncatingIfNeeded: state >> 33))
    }
    return data
}

/// `data` as a stream of pieces of `size` bytes, like an HTTP body.
func pieces(_ data: Data, size: Int) -> AsyncStream<Data> {
    AsyncStream { continuation in
        var offset = 0
        while offset < data.count {
            continuation.yield(data.subdata(in: offset..<min(offset + size, data.count)))
            offset += size
        }
        continuation.finish()
    }
}

@Suite struct ArtifactStoreTests {
    @Test func aStreamedArtifactReadsBackByteForByteWithItsHash() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client, chunkSize: 64 * 1024)
            let bytes = testBytes(300_000)
            let record = try await store.store(NewArtifact(kind: .dataset, name: "train.jsonl", mediaType: "application/jsonl"), chunks: pieces(bytes, size: 10_007))
            let expected = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            #expect(record.sizeBytes == 300_000 && record.sha256 == expected && record.kind == .dataset)
            var back = Data()
            try await store.read(record.id) { back.append($0) }
            #expect(back == bytes)
        }
    }

    @Test func anUploadPastTheLimitKeepsNothing() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client, maxBytes: 100_000, chunkSize: 16 * 1024)
            await #expect(throws: ArtifactError.tooLarge(limit: 100_000)) {
                try await store.store(NewArtifact(kind: .dataset, name: "big"), chunks: pieces(testBytes(150_000), size: 8192))
            }
            #expect(try await store.list(kind: nil, jobID: nil, limit: 10).isEmpty)
            let rows = try await db.client.query("SELECT count(*) FROM artifact_chunks")
            #expect(try await rows.decode(Int.self).first { _ in true } == 0)
        }
    }

    @Test func anUploadThatFailsMidwayKeepsNothing() async throws {
        struct Broken: Error {}
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client, chunkSize: 1024)
            let failing = AsyncThrowingStream<Data, any Error> { continuation in
                continuation.yield(testBytes(5000))
                continuation.finish(throwing: Broken())
            }
            await #expect(throws: Broken.self) { try await store.store(NewArtifact(kind: .other, name: "x"), chunks: failing) }
            let rows = try await db.client.query("SELECT count(*) FROM artifacts")
            #expect(try await rows.decode(Int.self).first { _ in true } == 0)
        }
    }

    @Test func anEmptyArtifactIsValid() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let record = try await store.store(NewArtifact(kind: .other, name: "empty"), chunks: pieces(Data(), size: 1))
            #expect(record.sizeBytes == 0)
            #expect(record.sha256 == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }
    }

    @Test func aJobsOutputIsFencedByItsRun() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let job = try await db.queue.submit(.sleep())
            let run = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            let output = try await store.store(NewArtifact(kind: .adapter, name: "adapter", producedBy: run.token), chunks: pieces(testBytes(10), size: 4))
            #expect(output.producedBy == run.token)
            #expect(try await store.list(kind: .adapter, jobID: job.id, limit: 10).map(\.id) == [output.id])
            let stale = JobToken(id: job.id, attempt: run.attempt + 5)
            await #expect(throws: ArtifactError.notHeld(stale)) {
                try await store.store(NewArtifact(kind: .adapter, name: "late", producedBy: stale), chunks: pieces(testBytes(10), size: 4))
            }
        }
    }

    @Test func aRunThatLostItsJobCannotDeleteTheJobsArtifacts() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client)
            let job = try await db.queue.submit(.sleep())
            let first = try await db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))[0]
            let old = try await store.store(NewArtifact(kind: .checkpoint, name: "old", producedBy: first.token), chunks: pieces(testBytes(10), size: 4))
            // What another worker's claim after an expired lease does: a new attempt, which stores a checkpoint of its own.
            try await db.client.query("UPDATE jobs SET attempt = attempt + 1, transition_reason = 'claimed after the previous lease expired' WHERE id = \(job.id)")
            let second = JobToken(id: job.id, attempt: first.attempt + 1)
            let newer = try await store.store(NewArtifact(kind: .checkpoint, name: "newer", producedBy: second), chunks: pieces(testBytes(10), size: 4))
            await #expect(throws: ArtifactError.notHeld(first.token)) { try await store.delete(newer.id, heldBy: first.token) }
            try await store.delete(old.id, heldBy: second)
            await #expect(throws: ArtifactError.notFound(old.id)) { try await store.delete(old.id, heldBy: second) }
            #expect(try await store.list(kind: .checkpoint, jobID: job.id, limit: 10).map(\.id) == [newer.id])
        }
    }

    @Test func corruptedChunksAreDetectedOnRead() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client, chunkSize: 1000)
            let record = try await store.store(NewArtifact(kind: .dataset, name: "d"), chunks: pieces(testBytes(3000), size: 500))
            try await db.client.query("UPDATE artifact_chunks SET data = '\\x00'::bytea WHERE artifact_id = \(record.id) AND seq = 1")
            await #expect(throws: ArtifactError.self) { try await store.read(record.id) { _ in } }
            await #expect(throws: ArtifactError.notFound(9999)) { try await store.record(9999) }
        }
    }

    @Test func downloadWritesTheFileAtomically() async throws {
        try await withTestDatabase { db in
            let store = PostgresArtifactStore(client: db.client, chunkSize: 4096)
            let source = FileManager.default.temporaryDirectory.appendingPathComponent("sky-artifact-\(UUID().uuidString)")
            let target = source.appendingPathExtension("copy")
            defer {
                try? FileManager.default.removeItem(at: source)
                try? FileManager.default.removeItem(at: target)
            }
            let bytes = testBytes(20_000, seed: 7)
            try bytes.write(to: source)
            let record = try await store.store(NewArtifact(kind: .dataset, name: "file"), file: source, chunkSize: 3000)
            try await store.download(record.id, to: target)
            #expect(try Data(contentsOf: target) == bytes)
        }
    }
}
