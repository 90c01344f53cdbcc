import Foundation
import SkyCore
@testable import SkyModel
import Testing

/// Fingerprints of model and adapter directories: SHA-256 itself, and digests that follow the files that matter.
@Suite struct DirectoryDigestTests {
    @Test func sha256MatchesFIPSVectors() {
        #expect(SHA256Hasher.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hasher.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Hasher.hex(Array(String(repeating: "a", count: 1_000_000).utf8))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func adapterDigestFollowsItsTwoFilesOnly() throws {
        let work = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let config = try ModelConfig(contentsOf: FixtureFiles.url("qwen-untied"))
        let a = work.appendingPathComponent("a"), b = work.appendingPathComponent("b")
        try RandomAdapter().write(for: config, to: a)
        try RandomAdapter().write(for: config, to: b)
        let digest = try DirectoryDigest.adapter(a)
        let again = try DirectoryDigest.adapter(b)
        #expect(digest.count == 64 && digest == again)
        try Data("notes".utf8).write(to: b.appendingPathComponent("README.md"))
        #expect(try DirectoryDigest.adapter(b) == digest)
        try RandomAdapter(seed: 6).write(for: config, to: b)
        #expect(try DirectoryDigest.adapter(b) != digest)
    }

    @Test func modelDigestCoversConfigAndEveryShard() throws {
        let work = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let copy = work.appendingPathComponent("m")
        try FileManager.default.copyItem(at: FixtureFiles.url("qwen-untied"), to: copy)
        let digest = try DirectoryDigest.model(copy)
        #expect(try DirectoryDigest.model(FixtureFiles.url("qwen-untied")) == digest)
        try Data("{}".utf8).write(to: copy.appendingPathComponent("reference.json"))  // not a weight or config file
        #expect(try DirectoryDigest.model(copy) == digest)
        let shard = copy.appendingPathComponent("model-00003-of-00003.safetensors")
        var bytes = try Data(contentsOf: shard)
        bytes[bytes.count - 1] ^= 1
        try bytes.write(to: shard)
        #expect(try DirectoryDigest.model(copy) != digest)
    }
}
