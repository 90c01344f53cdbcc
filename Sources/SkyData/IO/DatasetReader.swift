public import Foundation

/// Streams decoded records from a JSON list or JSONL file, one at a time.
///
/// With `skipInvalid`, a malformed record is counted and kept in `invalidRecords` (the first 100)
/// instead of stopping the read; a broken file structure always stops it.
public struct DatasetReader {
    /// One decoded record and where it came from.
    public struct Entry: Sendable {
        /// 0-based position in the file.
        public var index: Int
        /// 1-based line where the record starts.
        public var line: Int
        /// The decoded record.
        public var record: DatasetRecord
    }

    /// How many invalid records are kept for reporting.
    public static let keptInvalid = 100

    private var scanner: JSONRecordScanner
    private let format: DatasetFormat?
    private let skipInvalid: Bool
    /// Number of malformed records skipped.
    public private(set) var invalidCount = 0
    /// The first malformed records skipped, with their positions.
    public private(set) var invalidRecords: [DatasetError] = []

    /// Reads `url`; `format` nil detects each record's format from its keys.
    public init(url: URL, format: DatasetFormat? = nil, skipInvalid: Bool = false, hashing: Bool = false) throws(DatasetError) {
        scanner = try JSONRecordScanner(url: url, hashing: hashing)
        self.format = format
        self.skipInvalid = skipInvalid
    }

    /// Reads bytes in memory.
    public init(data: Data, format: DatasetFormat? = nil, skipInvalid: Bool = false) {
        scanner = JSONRecordScanner(data: data)
        self.format = format
        self.skipInvalid = skipInvalid
    }

    /// Bytes of the input consumed so far.
    public var bytesRead: Int64 { scanner.bytesRead }

    /// SHA-256 of the input, when created with `hashing`, once the end was reached.
    public mutating func finalizeSHA256() -> String? { scanner.finalizeSHA256() }

    /// The next valid record, or nil at the end of the input.
    public mutating func next() throws(DatasetError) -> Entry? {
        while let scanned = try scanner.next() {
            do {
                let record = try RecordCoding.decode(scanned.bytes, format: format)
                return Entry(index: scanned.index, line: scanned.line, record: record)
            } catch {
                var located = error
                located.index = scanned.index
                located.line = scanned.line
                guard skipInvalid else { throw located }
                invalidCount += 1
                if invalidRecords.count < Self.keptInvalid { invalidRecords.append(located) }
            }
        }
        return nil
    }

    /// Every record of a small dataset, for tests and tools; big files should use `next()`.
    public mutating func readAll() throws(DatasetError) -> [DatasetRecord] {
        var records: [DatasetRecord] = []
        while let entry = try next() { records.append(entry.record) }
        return records
    }
}
