import Foundation
@testable import SkyJobs
import Testing

/// The tar archives directories travel in: round trips, long paths, what the system's tar makes of them, hostile names.
@Suite struct DirectoryArchiveTests {
    static func temporary() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sky-archive-\(UUID().uuidString)")
    }

    /// A tree with an empty file, a nested file under a path past ustar's 100-byte name field, and a file of
    /// more than one block.
    static func makeTree(at root: URL) throws -> [String: Data] {
        let deep = String(repeating: "nested-directory/", count: 7) + "weights.bin"
        let files: [String: Data] = [
            "config.json": Data(#"{"model_type": "qwen2"}"#.utf8), "empty.txt": Data(),
            deep: Data((0..<1500).map { UInt8($0 % 251) }),
        ]
        for (name, data) in files {
            let url = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        return files
    }

    static func contents(of root: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in FileManager.default.subpaths(atPath: root.path) ?? [] {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                found[name] = try Data(contentsOf: url)
            }
        }
        return found
    }

    @Test func aDirectoryRoundTripsAndTheSystemTarReadsIt() throws {
        let work = Self.temporary()
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("source")
        let files = try Self.makeTree(at: source)
        let archive = work.appendingPathComponent("a.tar")
        try DirectoryArchive.write(directory: source, to: archive)
        #expect(try Data(contentsOf: archive).count % 512 == 0)

        let ours = work.appendingPathComponent("ours")
        try DirectoryArchive.extract(archive, into: ours)
        #expect(try Self.contents(of: ours) == files)

        let theirs = work.appendingPathComponent("theirs")
        try FileManager.default.createDirectory(at: theirs, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xf", archive.path, "-C", theirs.path]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        #expect(try Self.contents(of: theirs) == files)
    }

    @Test(arguments: ["gnu", "pax", "ustar"])
    func anArchiveMadeByTarIsReadToo(format: String) throws {
        let work = Self.temporary()
        defer { try? FileManager.default.removeItem(at: work) }
        let source = work.appendingPathComponent("source")
        let files = try Self.makeTree(at: source)
        let archive = work.appendingPathComponent("b.tar")
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "--format=\(format)", "-cf", archive.path, "-C", source.path, "."]
        try tar.run()
        tar.waitUntilExit()
        #expect(tar.terminationStatus == 0)
        let out = work.appendingPathComponent("out")
        try DirectoryArchive.extract(archive, into: out)
        #expect(try Self.contents(of: out) == files)
    }

    @Test func namesThatLeaveTheDirectoryAreRefused() throws {
        let work = Self.temporary()
        defer { try? FileManager.default.removeItem(at: work) }
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        for name in ["../escape.txt", "/etc/escape.txt", "a/../../escape.txt"] {
            let archive = work.appendingPathComponent("evil.tar")
            var bytes = try DirectoryArchive.header(name: name, size: 0, type: "0")
            bytes.append(Data(count: 1024))
            try bytes.write(to: archive)
            #expect(throws: ArchiveError.self) { try DirectoryArchive.extract(archive, into: work.appendingPathComponent("x")) }
        }
        #expect(!FileManager.default.fileExists(atPath: work.deletingLastPathComponent().appendingPathComponent("escape.txt").path))
    }
}
