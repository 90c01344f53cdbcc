public import Foundation
import SkyCore

/// Splits a JSON list (`[{…}, {…}]`) or JSONL stream into the bytes of each top-level record without parsing them.
///
/// Memory stays at one read chunk plus the largest record, whatever the file size. The layout is
/// decided by the first non-blank byte: `[` is a list, anything else is one record per line.
public struct JSONRecordScanner {
    /// The bytes of one record and where it starts.
    public struct Scanned: Sendable {
        /// 0-based position of the record in the file.
        public var index: Int
        /// 1-based line on which the record starts.
        public var line: Int
        /// The record's JSON text.
        public var bytes: Data
    }

    private enum Layout { case list, lines }
    private enum ListState { case beforeValue, afterValue, finished }

    private let handle: FileHandle?
    private var pending: Data?
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var pos = 0
    private var atEnd = false
    private var line = 1
    private var layout: Layout?
    private var listState = ListState.beforeValue
    private var nextIndex = 0
    /// Bytes read from the source so far, for progress reports.
    public private(set) var bytesRead: Int64 = 0
    private var hasher: SHA256?

    /// Scans a file, reading `chunkSize` bytes at a time.
    public init(url: URL, chunkSize: Int = 1 << 20, hashing: Bool = false) throws(DatasetError) {
        hasher = hashing ? SHA256() : nil
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw DatasetError(message: "cannot open \(url.path): \(error.localizedDescription)")
        }
        pending = nil
        self.chunkSize = max(16, chunkSize)
    }

    /// Scans bytes already in memory; `chunkSize` only matters to tests of chunk boundaries.
    public init(data: Data, chunkSize: Int = 1 << 20) {
        handle = nil
        pending = data
        self.chunkSize = max(1, chunkSize)
    }

    /// The next record, or nil at the end. A structural error (e.g. an unterminated list) is fatal.
    public mutating func next() throws(DatasetError) -> Scanned? {
        if layout == nil {
            guard try skipWhitespace() else { return nil }
            // Editors on Windows save UTF-8 with a byte-order mark; it is not JSON, so step over it.
            if buffer.count - pos >= 3, buffer[pos] == 0xEF, buffer[pos + 1] == 0xBB, buffer[pos + 2] == 0xBF {
                pos += 3
                guard try skipWhitespace() else { return nil }
            }
            if buffer[pos] == UInt8(ascii: "[") {
                layout = .list
                pos += 1
            } else {
                layout = .lines
            }
        }
        switch layout! {
        case .lines: return try nextLine()
        case .list: return try nextListElement()
        }
    }

    private mutating func nextLine() throws(DatasetError) -> Scanned? {
        while true {
            var searchFrom = pos
            var newline: Int?
            while newline == nil {
                newline = buffer[searchFrom...].firstIndex(of: UInt8(ascii: "\n"))
                if newline != nil { break }
                let consumed = pos
                searchFrom = buffer.count - consumed
                guard try refill(keepingFrom: consumed) else { break }
            }
            if newline == nil && pos == buffer.count { return nil }
            let end = newline ?? buffer.count
            let startLine = line
            let slice = buffer[pos..<end]
            pos = newline.map { $0 + 1 } ?? end
            line += 1
            if slice.allSatisfy(Self.isWhitespace) { continue }
            defer { nextIndex += 1 }
            return Scanned(index: nextIndex, line: startLine, bytes: Data(slice))
        }
    }

    private mutating func nextListElement() throws(DatasetError) -> Scanned? {
        while true {
            guard try skipWhitespace() else {
                if listState == .finished { return nil }
                throw DatasetError(index: nextIndex, line: line, message: "the JSON list is not closed with ']'")
            }
            let byte = buffer[pos]
            switch listState {
            case .finished:
                throw DatasetError(line: line, message: "unexpected content after the closing ']'")
            case .afterValue:
                if byte == UInt8(ascii: ",") {
                    listState = .beforeValue
                    pos += 1
                } else if byte == UInt8(ascii: "]") {
                    listState = .finished
                    pos += 1
                } else {
                    throw DatasetError(index: nextIndex, line: line, message: "expected ',' or ']' between records, found '\(Self.show(byte))'")
                }
            case .beforeValue:
                if byte == UInt8(ascii: "]") {
                    listState = .finished
                    pos += 1
                    continue
                }
                let startLine = line
                let bytes = try scanValue()
                listState = .afterValue
                defer { nextIndex += 1 }
                return Scanned(index: nextIndex, line: startLine, bytes: bytes)
            }
        }
    }

    /// Scans one JSON value starting at `pos` by bracket matching, tracking strings and escapes.
    private mutating func scanValue() throws(DatasetError) -> Data {
        var start = pos
        let startLine = line
        let first = buffer[pos]
        var depth = 0
        var inString = false
        var escaped = false
        let isScalar = first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"")
        while true {
            if pos == buffer.count {
                let consumed = start
                guard try refill(keepingFrom: consumed) else {
                    if isScalar { return Data(buffer[start..<pos]) }
                    throw DatasetError(index: nextIndex, line: startLine, message: "record is not terminated before the end of the file")
                }
                start = 0
            }
            let byte = buffer[pos]
            if byte == 0x0A { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 {
                        pos += 1
                        return Data(buffer[start..<pos])
                    }
                }
            } else if isScalar {
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || Self.isWhitespace(byte) {
                    if byte == 0x0A { line -= 1 }
                    return Data(buffer[start..<pos])
                }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        pos += 1
                        return Data(buffer[start..<pos])
                    }
                default: break
                }
            }
            pos += 1
        }
    }

    /// Moves past blanks; false when the input ends first.
    private mutating func skipWhitespace() throws(DatasetError) -> Bool {
        while true {
            while pos < buffer.count, Self.isWhitespace(buffer[pos]) {
                if buffer[pos] == 0x0A { line += 1 }
                pos += 1
            }
            if pos < buffer.count { return true }
            guard try refill(keepingFrom: pos) else { return false }
        }
    }

    /// Drops bytes before `keep`, appends the next chunk; false at the end of the input.
    private mutating func refill(keepingFrom keep: Int) throws(DatasetError) -> Bool {
        if atEnd { return false }
        let chunk: Data
        if let handle {
            do {
                chunk = try handle.read(upToCount: chunkSize) ?? Data()
            } catch {
                throw DatasetError(line: line, message: "read failed: \(error.localizedDescription)")
            }
        } else if let data = pending {
            chunk = data.prefix(chunkSize)
            pending = data.count > chunkSize ? data.dropFirst(chunkSize) : nil
        } else {
            chunk = Data()
        }
        if chunk.isEmpty {
            atEnd = true
            try? handle?.close()
            return false
        }
        bytesRead += Int64(chunk.count)
        chunk.withUnsafeBytes { hasher?.update($0) }
        if keep > 0 {
            buffer.removeSubrange(0..<keep)
            pos -= keep
        }
        buffer.append(contentsOf: chunk)
        return true
    }

    /// SHA-256 of every byte read, when created with `hashing`; complete once `next()` returned nil.
    public mutating func finalizeSHA256() -> String? {
        hasher?.finalizeHex()
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func show(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
    }
}
