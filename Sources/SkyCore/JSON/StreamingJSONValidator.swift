/// Checks a JSON dataset as it streams past, holding one record at a time, and reports the first syntax
/// error with its line, column and absolute byte offset: JSON Lines (every non-blank line one document),
/// or one JSON document, which for datasets is a list of records checked element by element.
public struct StreamingJSONValidator: Sendable {
    /// What the stream holds.
    public enum Layout: Sendable {
        case jsonLines
        case document
    }

    /// Largest single record (line, or element of the top-level list) held for checking.
    public static let maxRecordBytes = 64 << 20

    public let layout: Layout
    /// Records checked so far.
    public private(set) var records = 0

    private var pending: [UInt8] = []
    private var pendingStart = (offset: 0, line: 1, column: 1)
    private var offset = 0
    private var line = 1
    private var column = 1
    // Document layout: where we are in the top-level value.
    private var depth = 0
    private var inString = false
    private var escaped = false
    private var topIsArray: Bool?
    private var sawValue = false

    /// A validator for `layout`.
    public init(layout: Layout) {
        self.layout = layout
    }

    /// Checks the next bytes of the stream.
    public mutating func push(_ bytes: some Sequence<UInt8>) throws(JSONSyntax.Failure) {
        let array = Array(bytes)
        let outcome = array.withUnsafeBytes { raw in
            Result<Void, JSONSyntax.Failure> { () throws(JSONSyntax.Failure) in try self.push(raw) }
        }
        try outcome.get()
    }

    /// Checks the next bytes of the stream, from memory the caller owns. The concrete buffer type matters:
    /// a generic sequence across the module boundary costs a witness-table call per byte (13 MB/s).
    public mutating func push(_ bytes: UnsafeRawBufferPointer) throws(JSONSyntax.Failure) {
        for byte in bytes {
            switch layout {
            case .jsonLines:
                if byte == 0x0A { try finishRecord() } else { try append(byte) }
            case .document:
                try document(byte)
            }
            offset += 1
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
    }

    /// Checks what is left at the end of the stream.
    public mutating func finish() throws(JSONSyntax.Failure) {
        if layout == .document, topIsArray == true, depth > 0 {
            throw failure("unexpected end of input inside the top-level list")
        }
        try finishRecord()
        if !sawValue { throw JSONSyntax.Failure(message: "the body holds no JSON", offset: 0, line: 1, column: 1) }
    }

    private func failure(_ message: String) -> JSONSyntax.Failure {
        JSONSyntax.Failure(message: message, offset: offset, line: line, column: column)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    private mutating func append(_ byte: UInt8) throws(JSONSyntax.Failure) {
        if pending.isEmpty { pendingStart = (offset, line, column) }
        pending.append(byte)
        if pending.count > Self.maxRecordBytes {
            throw JSONSyntax.Failure(message: "a record is larger than \(Self.maxRecordBytes) bytes",
                                     offset: pendingStart.offset, line: pendingStart.line, column: pendingStart.column)
        }
    }

    /// Checks the record held in `pending`, if it is not blank, reporting errors at stream positions.
    private mutating func finishRecord() throws(JSONSyntax.Failure) {
        defer { pending.removeAll(keepingCapacity: true) }
        guard pending.contains(where: { !Self.isSpace($0) }) else { return }
        sawValue = true
        records += 1
        guard var failure = JSONSyntax.firstError(in: pending) else { return }
        if failure.line == 1 { failure.column += pendingStart.column - 1 }
        failure.line += pendingStart.line - 1
        failure.offset += pendingStart.offset
        switch (layout, topIsArray) {
        case (.jsonLines, _): failure.message += " (record \(records))"
        case (.document, true?): failure.message += " (element \(records - 1) of the list)"
        default: break
        }
        throw failure
    }

    private mutating func document(_ byte: UInt8) throws(JSONSyntax.Failure) {
        if topIsArray == nil {
            if Self.isSpace(byte) { return }
            topIsArray = byte == UInt8(ascii: "[")
            if topIsArray == true {
                depth = 1
                sawValue = true
                return
            }
        }
        // Not a list: hold the whole document (bounded) and check it at the end.
        guard topIsArray == true else { return try append(byte) }
        if depth == 0 {
            if Self.isSpace(byte) { return }
            throw failure("unexpected '\(String(UnicodeScalar(byte)))' after the end of the list")
        }
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            return try append(byte)
        }
        switch byte {
        case UInt8(ascii: "\""):
            inString = true
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            depth += 1
        case UInt8(ascii: "]"), UInt8(ascii: "}"):
            depth -= 1
            if depth == 0 {
                guard byte == UInt8(ascii: "]") else { throw failure("'}' cannot close the top-level list") }
                if records > 0, !pending.contains(where: { !Self.isSpace($0) }) { throw failure("expected a value before ']'") }
                return try finishRecord()
            }
        case UInt8(ascii: ",") where depth == 1:
            guard pending.contains(where: { !Self.isSpace($0) }) else { throw failure("expected a value before ','") }
            return try finishRecord()
        default:
            break
        }
        try append(byte)
    }
}
