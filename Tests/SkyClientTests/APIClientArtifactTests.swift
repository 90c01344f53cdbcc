import Crypto
import Foundation
import PostgresNIO
import SkyClient
import SkyCore
import SkyTestSupport
import Testing

/// Artifacts through the client: streamed upload, a perturb job consuming it, verified download.
@Suite struct APIClientArtifactTests {
    func temporaryFile(_ name: String, contents: Data) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url
    }

    func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test func anUploadedDatasetFeedsAPerturbJobWhoseOutputDownloadsIntact() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let records = skyT1Records(8)
                let file = try temporaryFile("train.jsonl", contents: records)
                let uploaded = try await client.uploadArtifact(file)
                #expect(uploaded.name == "train.jsonl" && uploaded.kind == .dataset && uploaded.mediaType == "application/x-ndjson")
                #expect(uploaded.sizeBytes == Int64(records.count) && uploaded.sha256 == sha256(records))
                #expect(try await client.artifact(uploaded.id) == uploaded)

                let job = try await client.submit(NewJob(kind: .perturb, spec: .object([
                    "dataset": .object(["artifact": .string(String(uploaded.id))]),
                    "perturbations": .array([.object(["type": .string("shuffle")])]), "seed": .number(3),
                ])))
                let finished = try await eventually(timeout: .seconds(120)) { try await client.job(job.id).state.isFinal }
                #expect(finished)
                let done = try await client.job(job.id)
                #expect(done.state == .succeeded, "\(done.error ?? "")")

                let outputs = try await client.jobArtifacts(job.id)
                let output = try #require(outputs.first)
                #expect(output.producedBy?.jobId == job.id)
                #expect(try await client.artifacts(producedBy: job.id).map(\.id) == outputs.map(\.id))
                #expect(try await client.artifacts(kind: .dataset).count == 2)

                let target = file.deletingLastPathComponent().appendingPathComponent("out.jsonl")
                let (digest, bytes) = try await client.downloadArtifact(output.id, to: target)
                let downloaded = try Data(contentsOf: target)
                #expect(digest == output.sha256 && bytes == output.sizeBytes && sha256(downloaded) == output.sha256)
                #expect(String(decoding: downloaded, as: UTF8.self).split(separator: "\n").count == 8)
                // Nothing but the target is left in the directory: the temporary file was renamed.
                #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path).sorted() == ["out.jsonl", "train.jsonl"])

                let written = try await client.metricSeries(job.id, key: "records/written")
                #expect(written.key == "records/written" && written.points.map(\.value) == [8])
                #expect(try await client.latestMetrics(job.id).contains { $0.key == "records/written" })
            }
        }
    }

    @Test func aDownloadWhoseBytesDoNotMatchTheirChecksumLeavesNoFile() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let file = try temporaryFile("blob.bin", contents: Data("hello artifact".utf8))
                let artifact = try await client.uploadArtifact(file)
                #expect(artifact.mediaType == "application/octet-stream" && artifact.kind == .other)
                // Rot one stored byte behind the server's back; the length stays, so only the hash can tell.
                try await server.database.client.query(
                    "UPDATE artifact_chunks SET data = overlay(data PLACING '\\x58'::bytea FROM 1 FOR 1) WHERE artifact_id = \(artifact.id)")
                let target = file.deletingLastPathComponent().appendingPathComponent("copy.bin")
                let error = await #expect(throws: APIError.self) { try await client.downloadArtifact(artifact.id, to: target) }
                guard case .checksumMismatch(let expected, _)? = error else { Issue.record("expected checksumMismatch, got \(String(describing: error))"); return }
                #expect(expected == artifact.sha256)
                #expect(try FileManager.default.contentsOfDirectory(atPath: target.deletingLastPathComponent().path) == ["blob.bin"])
            }
        }
    }

    @Test func downloadingAMissingArtifactIsNotFoundAndLeavesNoFile() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let directory = try temporaryFile("placeholder", contents: Data()).deletingLastPathComponent()
                let target = directory.appendingPathComponent("never.bin")
                let missing = await #expect(throws: APIError.self) { try await client.downloadArtifact(424_242, to: target) }
                #expect(missing?.exitCode == 66)
                #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["placeholder"])
            }
        }
    }
}
