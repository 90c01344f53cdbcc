import Foundation

/// The parsed, fully validated header of a safetensors file.
struct SafetensorsHeader {
    /// Larger headers exist only in hostile files; the safetensors crate uses the same bound.
    static let maximumLength: UInt64 = 100_000_000

    let tensors: [String: TensorInfo]
    let metadata: [String: String]
    /// Offset of the data section from the start of the file.
    let dataStart: Int

    /// Parses and validates the header of a file of `fileSize` bytes starting at `base`.
    init(base: UnsafeRawPointer?, fileSize: Int, path: String) throws {
        guard fileSize >= 8, let base else { throw SafetensorsError.truncated(path: path, fileSize: fileSize, needed: 8) }
        let length = UInt64(littleEndian: base.loadUnaligned(as: UInt64.self))
        guard length <= Self.maximumLength else { throw SafetensorsError.headerTooLarge(path: path, length: length) }
        guard Int(length) <= fileSize - 8 else {
            throw SafetensorsError.truncated(path: path, fileSize: fileSize, needed: 8 + Int(length))
        }
        dataStart = 8 + Int(length)
        let dataSize = fileSize - dataStart
        let json = Data(bytes: base + 8, count: Int(length))
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [])
        } catch {
            throw SafetensorsError.invalidHeader(path: path, reason: "\(error)")
        }
        guard let entries = object as? [String: Any] else {
            throw SafetensorsError.invalidHeader(path: path, reason: "top level is not an object")
        }
        var tensors: [String: TensorInfo] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else {
                    throw SafetensorsError.invalidHeader(path: path, reason: "__metadata__ is not an object")
                }
                for (key, item) in pairs {
                    guard let text = item as? String else {
                        throw SafetensorsError.invalidHeader(path: path, reason: "__metadata__ value for '\(key)' is not a string")
                    }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.parseEntry(name: name, value: value, dataSize: dataSize, path: path)
        }
        try Self.checkContiguous(tensors.values, dataSize: dataSize, path: path)
        self.tensors = tensors
        self.metadata = metadata
    }

    private static func parseEntry(name: String, value: Any, dataSize: Int, path: String) throws -> TensorInfo {
        func bad(_ problem: String) -> SafetensorsError { .invalidEntry(path: path, tensor: name, problem: problem) }
        guard let fields = value as? [String: Any] else { throw bad("entry is not an object") }
        guard let dtypeName = fields["dtype"] as? String else { throw bad("missing or non-string dtype") }
        guard let dtype = SafetensorsDType(rawValue: dtypeName) else {
            throw SafetensorsError.unsupportedDType(path: path, tensor: name, dtype: dtypeName)
        }
        guard let shape = JSONNumbers.integers(fields["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
            throw bad("shape must be a list of non-negative integers")
        }
        guard let offsets = JSONNumbers.integers(fields["data_offsets"]), offsets.count == 2 else {
            throw bad("data_offsets must be two integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, begin <= end else { throw bad("data_offsets [\(begin), \(end)] are not an ascending range") }
        guard end <= dataSize else { throw SafetensorsError.outOfBounds(path: path, tensor: name, end: end, dataSize: dataSize) }
        // Multiply with overflow checks: a hostile shape must not wrap around to a small size.
        var bytes = dtype.size
        for dim in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw bad("shape \(shape) overflows") }
            bytes = product
        }
        guard bytes == end - begin else {
            throw SafetensorsError.sizeMismatch(path: path, tensor: name, expectedBytes: bytes, rangeBytes: end - begin)
        }
        return TensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
    }

    /// Tensors must tile the data section exactly: start at 0, no gaps, no overlaps, end at its end.
    private static func checkContiguous(_ infos: some Collection<TensorInfo>, dataSize: Int, path: String) throws {
        let ordered = infos.sorted { ($0.dataRange.lowerBound, $0.dataRange.upperBound, $0.name) < ($1.dataRange.lowerBound, $1.dataRange.upperBound, $1.name) }
        var expected = 0
        var previous = "start of data"
        for info in ordered {
            let begin = info.dataRange.lowerBound
            if begin < expected {
                throw SafetensorsError.notContiguous(path: path, tensor: info.name,
                                                     problem: "starts at byte \(begin), overlapping '\(previous)' which ends at \(expected)")
            }
            if begin > expected {
                throw SafetensorsError.notContiguous(path: path, tensor: info.name,
                                                     problem: "starts at byte \(begin), leaving a gap after '\(previous)' which ends at \(expected)")
            }
            expected = info.dataRange.upperBound
            previous = info.name
        }
        if expected != dataSize {
            throw SafetensorsError.notContiguous(path: path, tensor: previous,
                                                 problem: "data ends at byte \(expected) but the data section is \(dataSize) bytes")
        }
    }
}
