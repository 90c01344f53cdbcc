/// What was wrong with a safetensors file or checkpoint, naming the file, the tensor and the byte offsets.
public enum SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case unreadable(path: String, reason: String)
    /// The file ends before the 8-byte header length, or before the header it announces.
    case truncated(path: String, fileSize: Int, needed: Int)
    /// The header length is beyond what any real checkpoint uses (a hostile or corrupt file).
    case headerTooLarge(path: String, length: UInt64)
    /// The header is not a JSON object.
    case invalidHeader(path: String, reason: String)
    /// A tensor's entry lacks a field or has one of the wrong type or value.
    case invalidEntry(path: String, tensor: String, problem: String)
    /// A tensor's dtype is one Sky does not read.
    case unsupportedDType(path: String, tensor: String, dtype: String)
    /// The byte range does not hold shape × dtype size bytes.
    case sizeMismatch(path: String, tensor: String, expectedBytes: Int, rangeBytes: Int)
    /// A tensor's byte range ends beyond the data section of the file.
    case outOfBounds(path: String, tensor: String, end: Int, dataSize: Int)
    /// Tensors overlap, leave a gap, or do not cover the data section exactly.
    case notContiguous(path: String, tensor: String, problem: String)
    /// A tensor was asked for that the file or checkpoint does not hold.
    case missingTensor(name: String, source: String)
    /// A sharded checkpoint's index is malformed or names a shard that is not a plain file in its folder.
    case invalidIndex(path: String, problem: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read: \(reason)"
        case let .truncated(path, size, needed): "\(path): truncated: file is \(size) bytes, needs at least \(needed)"
        case let .headerTooLarge(path, length): "\(path): header length \(length) bytes is implausibly large"
        case let .invalidHeader(path, reason): "\(path): header is not a valid JSON object: \(reason)"
        case let .invalidEntry(path, tensor, problem): "\(path): tensor '\(tensor)': \(problem)"
        case let .unsupportedDType(path, tensor, dtype): "\(path): tensor '\(tensor)': unsupported dtype \(dtype) (Sky reads F32, F16, BF16)"
        case let .sizeMismatch(path, tensor, expected, range):
            "\(path): tensor '\(tensor)': shape × dtype size is \(expected) bytes but data_offsets span \(range)"
        case let .outOfBounds(path, tensor, end, dataSize):
            "\(path): tensor '\(tensor)': data ends at byte \(end) of a \(dataSize)-byte data section"
        case let .notContiguous(path, tensor, problem): "\(path): tensor '\(tensor)': \(problem)"
        case let .missingTensor(name, source): "\(source): no tensor named '\(name)'"
        case let .invalidIndex(path, problem): "\(path): \(problem)"
        }
    }
}
