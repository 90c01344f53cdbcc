public import Foundation

/// Directories (a model, an adapter, a checkpoint) as one artifact: a POSIX ustar archive, the format `tar`
/// reads and writes, so users upload `tar -cf model.tar -C model .` and unpack outputs with `tar -xf`.
///
/// Written: regular files and directories under relative names (the ustar prefix field holds long paths),
/// sizes past 8 GiB in GNU's base-256 form. Read: the same, plus GNU long names and pax `path` records (what
/// GNU tar and bsdtar write for long paths); links, devices and names that leave the directory are refused.
public enum DirectoryArchive {
    static let block = 512

    /// Writes every file under `directory` into the archive `file`, in name order so equal trees give equal bytes.
    public static func write(directory: URL, to file: URL) throws {
        let files = FileManager.default
        _ = files.createFile(atPath: file.path, contents: nil)
        let output = try FileHandle(forWritingTo: file)
        defer { try? output.close() }
        let root = directory.standardizedFileURL.path
        let names = (files.subpaths(atPath: root) ?? []).sorted()
        for name in names {
            let path = root + "/" + name
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                try output.write(contentsOf: try header(name: name + "/", size: 0, type: "5"))
                continue
            }
            let size = try URL(fileURLWithPath: path).resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
            try output.write(contentsOf: try header(name: name, size: size, type: "0"))
            let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? input.close() }
            var written = 0
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
                written += chunk.count
            }
            guard written == size else { throw ArchiveError("\(name) changed size while it was archived") }
            if size % block != 0 { try output.write(contentsOf: Data(count: block - size % block)) }
        }
        try output.write(contentsOf: Data(count: 2 * block))  // two zero blocks end the archive
    }

    /// Unpacks the archive `file` into `directory` (created if needed).
    public static func extract(_ file: URL, into directory: URL) throws {
        let files = FileManager.default
        try files.createDirectory(at: directory, withIntermediateDirectories: true)
        let input = try FileHandle(forReadingFrom: file)
        defer { try? input.close() }
        var longName: String?  // from a GNU 'L' or pax 'x' header, for the entry that follows
        while let headerBlock = try input.read(upToCount: block), headerBlock.count == block {
            if headerBlock.allSatisfy({ $0 == 0 }) { break }
            var entry = try parse(headerBlock)
            let padded = (entry.size + block - 1) / block * block
            if let name = longName, !"xgLK".contains(entry.type) {
                entry.name = name
                longName = nil
            }
            switch entry.type {
            case "0", "\0", "7":
                let target = try safeURL(entry.name, in: directory)
                try files.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                _ = files.createFile(atPath: target.path, contents: nil)
                let output = try FileHandle(forWritingTo: target)
                defer { try? output.close() }
                var left = entry.size
                while left > 0 {
                    guard let chunk = try input.read(upToCount: min(left, 1 << 20)), !chunk.isEmpty else {
                        throw ArchiveError("archive ends inside \(entry.name)")
                    }
                    try output.write(contentsOf: chunk)
                    left -= chunk.count
                }
                if padded > entry.size { _ = try input.read(upToCount: padded - entry.size) }
            case "5":
                try files.createDirectory(at: try safeURL(entry.name, in: directory), withIntermediateDirectories: true)
            case "L", "x":
                // GNU tar writes names past 100 bytes as an 'L' entry, pax writers as a `path=` record.
                let data = try input.read(upToCount: padded) ?? Data()
                let body = data.prefix(entry.size)
                longName = entry.type == "L" ? String(decoding: body.prefix { $0 != 0 }, as: UTF8.self) : paxPath(body) ?? longName
            case "g", "K":
                if padded > 0 { _ = try input.read(upToCount: padded) }
            default:
                throw ArchiveError("\(entry.name): entry type '\(entry.type)' (links, devices) is not supported")
            }
        }
    }

    /// The `path` of pax extended-header records (`<length> <key>=<value>\n` each), if there is one.
    static func paxPath(_ records: Data) -> String? {
        let text = String(decoding: records, as: UTF8.self)
        for record in text.split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let field = record[record.index(after: space)...]
            if field.hasPrefix("path=") { return String(field.dropFirst(5)) }
        }
        return nil
    }

    /// One header block for `name`.
    static func header(name: String, size: Int, type: Character) throws -> Data {
        var bytes = [UInt8](repeating: 0, count: block)
        let utf8 = Array(name.utf8)
        var (prefix, base) = ([UInt8](), utf8)
        if utf8.count > 100 {
            // Split at a slash so the prefix (≤ 155 bytes) and the name (≤ 100) both fit.
            guard let cut = utf8.indices.last(where: { utf8[$0] == UInt8(ascii: "/") && $0 <= 155 && utf8.count - $0 - 1 <= 100 }) else {
                throw ArchiveError("\(name): path too long for a ustar archive")
            }
            (prefix, base) = (Array(utf8[..<cut]), Array(utf8[(cut + 1)...]))
        }
        func put(_ value: [UInt8], at offset: Int) { for (i, byte) in value.enumerated() { bytes[offset + i] = byte } }
        func octal(_ value: Int, width: Int) -> [UInt8] {
            Array(String(value, radix: 8).leftPadded(to: width - 1).utf8) + [0]
        }
        put(base, at: 0)
        put(octal(type == "5" ? 0o755 : 0o644, width: 8), at: 100)
        put(octal(0, width: 8), at: 108)
        put(octal(0, width: 8), at: 116)
        if size < 0o77777777777 {
            put(octal(size, width: 12), at: 124)
        } else {
            // GNU base-256: a set high bit, then the size big-endian.
            var big = [UInt8](repeating: 0, count: 12)
            for i in 0..<8 { big[11 - i] = UInt8((size >> (8 * i)) & 0xFF) }
            big[0] = 0x80
            put(big, at: 124)
        }
        put(octal(0, width: 12), at: 136)
        put([UInt8](repeating: UInt8(ascii: " "), count: 8), at: 148)
        bytes[156] = type.asciiValue!
        put(Array("ustar\0".utf8), at: 257)
        put(Array("00".utf8), at: 263)
        put(prefix, at: 345)
        let checksum = bytes.reduce(0) { $0 + Int($1) }
        put(Array(String(checksum, radix: 8).leftPadded(to: 6).utf8) + [0, UInt8(ascii: " ")], at: 148)
        return Data(bytes)
    }

    /// Name, size and type of a header block, after checking its checksum.
    static func parse(_ header: Data) throws -> (name: String, size: Int, type: Character) {
        let bytes = [UInt8](header)
        func text(_ range: Range<Int>) -> String {
            String(decoding: bytes[range].prefix { $0 != 0 }, as: UTF8.self)
        }
        func number(_ range: Range<Int>) -> Int? {
            if bytes[range.lowerBound] & 0x80 != 0 {
                return bytes[(range.lowerBound + 1)..<range.upperBound].reduce(0) { $0 << 8 | Int($1) }
            }
            let digits = text(range).trimmingCharacters(in: .whitespaces)
            return digits.isEmpty ? 0 : Int(digits, radix: 8)
        }
        var sum = 0
        for (i, byte) in bytes.enumerated() { sum += (148..<156).contains(i) ? 32 : Int(byte) }
        guard number(148..<156) == sum else { throw ArchiveError("not a tar archive (header checksum mismatch)") }
        guard let size = number(124..<136), size >= 0 else { throw ArchiveError("unreadable entry size") }
        let prefix = text(257..<263).hasPrefix("ustar") ? text(345..<500) : ""
        let name = prefix.isEmpty ? text(0..<100) : prefix + "/" + text(0..<100)
        return (name, size, Character(Unicode.Scalar(bytes[156])))
    }

    /// `name` under `directory`, refusing absolute names and `..` so an archive cannot write elsewhere.
    static func safeURL(_ name: String, in directory: URL) throws -> URL {
        let parts = name.split(separator: "/").filter { $0 != "." }
        guard !name.hasPrefix("/"), !parts.contains("..") else { throw ArchiveError("\(name): path leaves the archive's directory") }
        return parts.reduce(directory) { $0.appendingPathComponent(String($1)) }
    }
}

/// Why an archive cannot be written or read.
public struct ArchiveError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
