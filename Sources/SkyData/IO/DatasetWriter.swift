public import Foundation
import SkyCore

/// Streams records to a file as JSONL or a JSON list, hashing the bytes as they go.
///
/// Records are buffered and written in 1 MiB blocks; `finish()` must be called to close the list and the file.
public struct DatasetWriter {
    private let handle: FileHandle
    private let format: DatasetFormat
    private let layout: DatasetLayout
    private var buffer: [UInt8] = []
    private var hasher = SHA256()
    /// Records written so far.
    public private(set) var count = 0
    /// Bytes written so far.
    public private(set) var byteCount: Int64 = 0

    /// Creates (or truncates) `url` and writes records in `format` and `layout`.
    public init(url: URL, format: DatasetFormat, layout: DatasetLayout) throws(DatasetError) {
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url)
        else {
            throw DatasetError(message: "cannot create \(url.path)")
        }
        self.handle = handle
        self.format = format
        self.layout = layout
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends one record.
    public mutating func write(_ record: DatasetRecord) throws(DatasetError) {
        switch layout {
        case .jsonl: break
        case .jsonList: buffer.append(contentsOf: (count == 0 ? "[\n" : ",\n").utf8)
        }
        buffer.append(contentsOf: RecordCoding.encode(record, as: format))
        if layout == .jsonl { buffer.append(0x0A) }
        count += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Closes the list, flushes and closes the file; returns the SHA-256 (hex) of everything written.
    public mutating func finish() throws(DatasetError) -> String {
        if layout == .jsonList { buffer.append(contentsOf: (count == 0 ? "[]\n" : "\n]\n").utf8) }
        try flush()
        do {
            try handle.close()
        } catch {
            throw DatasetError(message: "close failed: \(error.localizedDescription)")
        }
        return hasher.finalizeHex()
    }

    private mutating func flush() throws(DatasetError) {
        guard !buffer.isEmpty else { return }
        hasher.update(buffer)
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw DatasetError(message: "write failed: \(error.localizedDescription)")
        }
        byteCount += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
