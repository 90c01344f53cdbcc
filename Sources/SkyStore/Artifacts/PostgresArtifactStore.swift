import Crypto
public import Foundation
public import Logging
public import PostgresNIO
public import SkyCore

/// Artifacts in PostgreSQL, in chunks of `chunkSize` bytes, hashed with SHA-256 as they stream in.
public struct PostgresArtifactStore: ArtifactStore {
    /// Default upper bound on one artifact; uploads past it are rejected and nothing is kept.
    public static let defaultMaxBytes: Int64 = 16 << 30

    private let client: PostgresClient
    private let logger: Logger
    /// Largest artifact accepted.
    public var maxBytes: Int64
    /// Bytes per stored chunk.
    public var chunkSize: Int

    /// A store over `client`.
    public init(client: PostgresClient, maxBytes: Int64 = PostgresArtifactStore.defaultMaxBytes, chunkSize: Int = 1 << 20, logger: Logger = Logger(label: "sky.artifacts")) {
        self.client = client
        self.maxBytes = maxBytes
        self.chunkSize = chunkSize
        self.logger = logger
    }

    public func store<Chunks: AsyncSequence & Sendable>(_ artifact: NewArtifact, chunks: Chunks) async throws -> ArtifactRecord
    where Chunks.Element == Data {
        let id = try await begin(artifact)
        do {
            var hasher = SHA256()
            var size: Int64 = 0
            var seq = 0
            var pending = Data()
            for try await piece in chunks {
                size += Int64(piece.count)
                if size > maxBytes { throw ArtifactError.tooLarge(limit: maxBytes) }
                hasher.update(data: piece)
                pending.append(piece)
                while pending.count >= chunkSize {
                    try await writeChunk(id, seq, pending.prefix(chunkSize))
                    seq += 1
                    pending = Data(pending.dropFirst(chunkSize))
                }
            }
            if !pending.isEmpty || seq == 0 { try await writeChunk(id, seq, pending) }
            let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
            return try await finish(id, size: size, sha256: digest, producedBy: artifact.producedBy)
        } catch {
            // Nothing half-written stays behind, whatever went wrong.
            _ = try? await client.query("DELETE FROM artifacts WHERE id = \(id)", logger: logger)
            throw error
        }
    }

    public func record(_ id: Int64) async throws -> ArtifactRecord {
        guard let record = try await fetch(where: "id = $1 AND state = 'ready'", binds: [id]).first else {
            throw ArtifactError.notFound(id)
        }
        return record
    }

    public func read(_ id: Int64, _ body: (Data) async throws -> Void) async throws {
        let expected = try await record(id)
        var hasher = SHA256()
        var size: Int64 = 0
        var seq = 0
        // One chunk per query keeps memory bounded however large the artifact.
        while true {
            let rows = try await client.query(
                "SELECT data FROM artifact_chunks WHERE artifact_id = \(id) AND seq = \(seq)", logger: logger)
            guard let chunk = try await rows.decode(Data.self).first(where: { _ in true }) else { break }
            hasher.update(data: chunk)
            size += Int64(chunk.count)
            try await body(chunk)
            seq += 1
        }
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        guard size == expected.sizeBytes, digest == expected.sha256 else {
            throw ArtifactError.corrupted(id: id, reason: "read \(size) bytes with sha256 \(digest), expected \(expected.sizeBytes) bytes with \(expected.sha256)")
        }
    }

    public func list(kind: ArtifactKind? = nil, jobID: Int64? = nil, limit: Int = 100) async throws -> [ArtifactRecord] {
        try await fetch(
            where: "state = 'ready' AND ($1::text IS NULL OR kind = $1::text) AND ($2::bigint IS NULL OR job_id = $2::bigint) ORDER BY id DESC LIMIT $3",
            binds: [kind?.rawValue as (any PostgresEncodable)?, jobID, limit])
    }

    public func delete(_ id: Int64) async throws {
        let rows = try await client.query("DELETE FROM artifacts WHERE id = \(id) RETURNING id", logger: logger)
        guard try await rows.decode(Int64.self).first(where: { _ in true }) != nil else { throw ArtifactError.notFound(id) }
    }

    public func delete(_ id: Int64, heldBy run: JobToken) async throws {
        let rows = try await client.query(
            """
            WITH held AS (
                SELECT EXISTS (SELECT 1 FROM jobs WHERE id = \(run.id) AND attempt = \(run.attempt)::int AND state = 'running') AS held
            ), gone AS (
                DELETE FROM artifacts WHERE id = \(id) AND (SELECT held FROM held) RETURNING id
            )
            SELECT (SELECT held FROM held), EXISTS (SELECT 1 FROM gone)
            """,
            logger: logger)
        for try await (held, deleted) in rows.decode((Bool, Bool).self) {
            guard held else { throw ArtifactError.notHeld(run) }
            guard deleted else { throw ArtifactError.notFound(id) }
            return
        }
    }

    /// Deletes uploads abandoned (a crashed uploader) for longer than `age`; returns how many.
    @discardableResult
    public func pruneAbandonedUploads(olderThan age: Duration) async throws -> Int {
        let rows = try await client.query(
            """
            WITH gone AS (
                DELETE FROM artifacts WHERE state = 'uploading'
                  AND created_at < now() - make_interval(secs => \(Double(age.components.seconds)))
                RETURNING id)
            SELECT count(*) FROM gone
            """,
            logger: logger)
        return try await rows.decode(Int.self).first(where: { _ in true }) ?? 0
    }

    private func begin(_ artifact: NewArtifact) async throws -> Int64 {
        let metadata = String(decoding: artifact.metadata.encoded(), as: UTF8.self)
        let jobID = artifact.producedBy?.id
        let attempt = artifact.producedBy?.attempt
        let rows = try await client.query(
            """
            INSERT INTO artifacts (kind, name, media_type, metadata, job_id, job_attempt)
            SELECT \(artifact.kind.rawValue), \(artifact.name), \(artifact.mediaType), \(metadata)::jsonb, \(jobID), \(attempt)::int
            WHERE \(jobID)::bigint IS NULL
               OR EXISTS (SELECT 1 FROM jobs WHERE id = \(jobID)::bigint AND attempt = \(attempt)::int AND state = 'running')
            RETURNING id
            """,
            logger: logger)
        guard let id = try await rows.decode(Int64.self).first(where: { _ in true }) else {
            throw ArtifactError.notHeld(artifact.producedBy!)
        }
        return id
    }

    private func writeChunk(_ id: Int64, _ seq: Int, _ data: Data) async throws {
        try await client.query(
            "INSERT INTO artifact_chunks (artifact_id, seq, data) VALUES (\(id), \(seq)::int, \(data))", logger: logger)
    }

    private func finish(_ id: Int64, size: Int64, sha256: String, producedBy: JobToken?) async throws -> ArtifactRecord {
        let rows = try await client.query(
            """
            UPDATE artifacts a SET state = 'ready', size_bytes = \(size), sha256 = \(sha256), completed_at = now()
            WHERE a.id = \(id) AND a.state = 'uploading'
              AND (a.job_id IS NULL
                   OR EXISTS (SELECT 1 FROM jobs j WHERE j.id = a.job_id AND j.attempt = a.job_attempt AND j.state = 'running'))
            RETURNING a.id
            """,
            logger: logger)
        guard try await rows.decode(Int64.self).first(where: { _ in true }) != nil else {
            throw producedBy.map(ArtifactError.notHeld) ?? ArtifactError.notFound(id)
        }
        return try await record(id)
    }

    private func fetch(where condition: String, binds values: [(any PostgresEncodable)?]) async throws -> [ArtifactRecord] {
        var binds = PostgresBindings()
        for value in values {
            if let value { try binds.append(value) } else { binds.appendNull() }
        }
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT id, kind, name, media_type, size_bytes, sha256, metadata::text, job_id, job_attempt, created_at
                    FROM artifacts WHERE \(condition)
                    """,
                binds: binds),
            logger: logger)
        var records: [ArtifactRecord] = []
        for try await (id, kind, name, media, size, sha, metadata, jobID, attempt, created) in rows.decode(
            (Int64, String, String, String, Int64, String, String, Int64?, Int?, Date).self)
        {
            records.append(ArtifactRecord(
                id: id, kind: try UnknownStoredValue.decode(ArtifactKind.self, kind, table: "artifacts", row: id, column: "kind"),
                name: name, mediaType: media, sizeBytes: size,
                sha256: sha, metadata: (try? JSONValue.parse(Data(metadata.utf8))) ?? .null,
                producedBy: jobID.flatMap { job in attempt.map { JobToken(id: job, attempt: $0) } }, createdAt: created))
        }
        return records
    }
}
