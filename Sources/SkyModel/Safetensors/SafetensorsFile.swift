/// A memory-mapped, validated safetensors file: tensors are decoded only when asked for.
public final class SafetensorsFile: TensorSource, @unchecked Sendable {
    /// Where the file was opened from (for error messages).
    public let path: String
    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    private let mapping: MappedFile
    private let header: SafetensorsHeader

    /// Maps and validates `path`; every structural problem throws a `SafetensorsError`.
    public init(path: String) throws {
        self.path = path
        mapping = try MappedFile(path: path)
        header = try SafetensorsHeader(base: mapping.base, fileSize: mapping.size, path: path)
        metadata = header.metadata
    }

    public var tensorNames: [String] { header.tensors.keys.sorted() }

    public func info(_ name: String) -> TensorInfo? { header.tensors[name] }

    /// The bits in the mapped file itself (safetensors is little-endian, as every host Sky runs on).
    public func bfloat16(_ name: String) -> (bits: UnsafeBufferPointer<UInt16>, owner: any AnyObject & Sendable)? {
        guard let info = header.tensors[name], info.dtype == .bf16, let base = mapping.base else { return nil }
        let start = base + header.dataStart + info.dataRange.lowerBound
        guard Int(bitPattern: start) % 2 == 0 else { return nil }
        return (UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt16.self), count: info.count), mapping)
    }

    public func floats(_ name: String) throws -> [Float] {
        guard let info = header.tensors[name], let base = mapping.base else {
            throw SafetensorsError.missingTensor(name: name, source: path)
        }
        // The header check guarantees dataStart + range lies inside the mapping.
        let start = base + header.dataStart + info.dataRange.lowerBound
        return [Float](unsafeUninitializedCapacity: info.count) { buffer, initialized in
            if let out = buffer.baseAddress { info.dtype.decode(start, count: info.count, into: out) }
            initialized = info.count
        }
    }
}
