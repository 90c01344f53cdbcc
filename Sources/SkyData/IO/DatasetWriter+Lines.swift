public import Foundation
public import SkyCore

extension DatasetWriter {
    /// Streams arbitrary JSON values as JSONL (per-sample statistics, benchmark problems).
    public struct Lines {
        private let handle: FileHandle
        private var buffer: [UInt8] = []

        /// Creates (or truncates) `url`.
        public init(url: URL) throws(DatasetError) {
            guard FileManager.default.createFile(atPath: url.path, contents: nil),
                  let handle = try? FileHandle(forWritingTo: url)
            else {
                throw DatasetError(message: "cannot create \(url.path)")
            }
            self.handle = handle
        }

        /// Appends one value as a compact, key-sorted line.
        public mutating func write(_ value: JSONValue) throws(DatasetError) {
            var writer = JSONWriter()
            writer.write(value)
            buffer.append(contentsOf: writer.bytes)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 { try flush() }
        }

        /// Flushes and closes the file.
        public mutating func finish() throws(DatasetError) {
            try flush()
            try? handle.close()
        }

        private mutating func flush() throws(DatasetError) {
            do {
                try handle.write(contentsOf: buffer)
            } catch {
                throw DatasetError(message: "write failed: \(error.localizedDescription)")
            }
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
