import Foundation
import SkyModel
import Testing

/// Truncated and hostile safetensors files give an error that names the problem, never a crash or a bad read.
@Suite struct SafetensorsMalformedFileTests {
    /// A file with the given header JSON (unpadded) followed by `dataBytes` zero bytes.
    static func file(header: String, dataBytes: Int, headerLength: UInt64? = nil) throws -> String {
        var data = Data()
        withUnsafeBytes(of: (headerLength ?? UInt64(header.utf8.count)).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(Data(count: dataBytes))
        let url = try FixtureFiles.temporaryDirectory().appendingPathComponent("m.safetensors")
        try data.write(to: url)
        return url.path
    }

    static func open(_ header: String, dataBytes: Int) throws -> SafetensorsFile {
        try SafetensorsFile(path: file(header: header, dataBytes: dataBytes))
    }

    @Test func everyTruncationOfAValidFileIsRejected() throws {
        let url = try FixtureFiles.temporaryDirectory().appendingPathComponent("v.safetensors")
        try SafetensorsWriter.write([.init(name: "w", shape: [2, 2], values: [1, 2, 3, 4])], to: url)
        let full = try Data(contentsOf: url)
        for length in 0..<full.count {
            try full.prefix(length).write(to: url)
            #expect(throws: SafetensorsError.self, "truncated to \(length) bytes") { try SafetensorsFile(path: url.path) }
        }
    }

    @Test func headerLongerThanTheFileIsTruncation() throws {
        let path = try Self.file(header: "{}", dataBytes: 0, headerLength: 1000)
        #expect(throws: SafetensorsError.truncated(path: path, fileSize: 10, needed: 1008)) { try SafetensorsFile(path: path) }
    }

    @Test func absurdHeaderLengthIsRejectedBeforeAnyRead() throws {
        let path = try Self.file(header: "{}", dataBytes: 0, headerLength: UInt64.max)
        #expect(throws: SafetensorsError.headerTooLarge(path: path, length: UInt64.max)) { try SafetensorsFile(path: path) }
    }

    @Test func invalidJSONAndNonObjectsAreRejected() throws {
        for header in ["{", "[]", "nul", "{\"a\": 1}", "{\"__metadata__\": {\"k\": 3}}"] {
            #expect(throws: SafetensorsError.self, "\(header)") { try Self.open(header, dataBytes: 0) }
        }
    }

    @Test func problemsNameTheTensor() throws {
        let cases: [(String, Int, String)] = [
            (#"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, 8, "unsupported dtype I64"),
            (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, 8, "shape × dtype size is 12 bytes but data_offsets span 8"),
            (#"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, 8, "data ends at byte 16 of a 8-byte data section"),
            (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, 4, "shape must be"),
            (#"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, 4, "shape must be"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, 4, "not an ascending range"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}}"#, 4, "data_offsets must be two integers"),
            (#"{"w":{"dtype":"F32","shape":[1000000000000000,1000000000000000],"data_offsets":[0,4]}}"#, 4, "overflows"),
            (#"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, 4, "missing or non-string dtype"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "leaving a gap"),
            (#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, 8, "overlapping"),
            (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, 8, "data section is 8 bytes"),
        ]
        for (header, dataBytes, expected) in cases {
            do {
                _ = try Self.open(header, dataBytes: dataBytes)
                Issue.record("accepted \(header)")
            } catch let error as SafetensorsError {
                #expect(error.description.contains(expected), "\(error.description)")
                #expect(error.description.contains("'w'") || error.description.contains("'v'"), "\(error.description)")
            }
        }
    }

    @Test func randomHeaderCorruptionsNeverCrashAndAcceptedFilesReadInBounds() throws {
        let url = try FixtureFiles.temporaryDirectory().appendingPathComponent("f.safetensors")
        try SafetensorsWriter.write([.init(name: "alpha", shape: [3, 2], values: Array(repeating: 1, count: 6)),
                                     .init(name: "beta", shape: [4], values: [1, 2, 3, 4])], to: url)
        let original = [UInt8](try Data(contentsOf: url))
        var rng = SplitMix64(state: 3)
        let printable = Array("0123456789[]{},:\"-. eFBI".utf8)
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let at = Int.random(in: 0..<min(bytes.count, 8 + 120), using: &rng)
                bytes[at] = Bool.random(using: &rng) ? printable.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            try Data(bytes).write(to: url)
            guard let file = try? SafetensorsFile(path: url.path) else { continue }
            for name in file.tensorNames { _ = try file.floats(name) }
        }
    }

    @Test func indexNamingAShardOutsideItsFolderIsRejected() throws {
        let folder = try FixtureFiles.temporaryDirectory()
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        try Data(#"{"weight_map": {"w": "../../etc/passwd"}}"#.utf8).write(to: index)
        #expect(throws: SafetensorsError.self) { try ShardedCheckpoint(indexPath: index.path) }
        try Data(#"{"weight_map": {"w": "missing.safetensors"}}"#.utf8).write(to: index)
        #expect(throws: SafetensorsError.self) { try ShardedCheckpoint(indexPath: index.path) }
        try Data(#"{"nothing": 1}"#.utf8).write(to: index)
        #expect(throws: SafetensorsError.self) { try ShardedCheckpoint(indexPath: index.path) }
    }
}
