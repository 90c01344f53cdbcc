/// Where one tensor lives in a safetensors file and what it holds.
public struct TensorInfo: Sendable, Equatable {
    /// The tensor's name (a Hugging Face parameter path).
    public let name: String
    /// Element type on disk.
    public let dtype: SafetensorsDType
    /// Dimensions, outermost first.
    public let shape: [Int]
    /// Byte range inside the data section (after the header).
    public let dataRange: Range<Int>

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
}
