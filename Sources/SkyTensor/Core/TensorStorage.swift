/// Memory that holds a tensor's elements; each backend owns its own kind (host arrays, device buffers).
public protocol TensorStorage: AnyObject, Sendable {
    /// Number of elements the storage holds.
    var count: Int { get }
    /// How each element is stored.
    var dtype: DType { get }
}

extension TensorStorage {
    /// Float32 unless the storage says otherwise.
    public var dtype: DType { .float32 }
}

/// How a tensor's elements are stored. Arithmetic is float32 throughout; bfloat16 is a storage format for weights
/// (half the bytes to read per decode step, and a bf16 checkpoint kept as it is), widened inside the kernels.
public enum DType: String, Sendable, Equatable, CaseIterable {
    case float32, bfloat16

    /// Bytes per element.
    public var byteCount: Int { self == .float32 ? 4 : 2 }

    /// The float32 whose top half `bits` are: bfloat16 widens exactly.
    @inline(__always)
    public static func float(bfloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}

/// bfloat16 elements in host memory: either owned, or read in place from memory that `owner` keeps alive (a mapped
/// checkpoint), which is how a bf16 model loads without a float32 copy.
public final class HostBFloat16Storage: TensorStorage, @unchecked Sendable {
    /// Start of the elements; valid for `count` values while the storage lives.
    public let pointer: UnsafePointer<UInt16>
    /// Number of elements.
    public let count: Int
    /// Always bfloat16.
    public var dtype: DType { .bfloat16 }
    private let owner: (any AnyObject & Sendable)?
    private let owned: UnsafeMutablePointer<UInt16>?

    /// A copy of `bits`.
    public init(copying bits: UnsafeBufferPointer<UInt16>) {
        let copy = UnsafeMutablePointer<UInt16>.allocate(capacity: max(bits.count, 1))
        if let base = bits.baseAddress { copy.initialize(from: base, count: bits.count) }
        pointer = UnsafePointer(copy)
        owned = copy
        count = bits.count
        owner = nil
    }

    /// `bits` read in place for as long as `owner` (which keeps that memory valid) lives.
    public init(referencing bits: UnsafeBufferPointer<UInt16>, owner: any AnyObject & Sendable) {
        precondition(bits.baseAddress != nil || bits.isEmpty, "bfloat16 storage over a null buffer")
        pointer = bits.baseAddress ?? UnsafePointer(UnsafeMutablePointer<UInt16>.allocate(capacity: 1))
        owned = bits.baseAddress == nil ? UnsafeMutablePointer(mutating: pointer) : nil
        count = bits.count
        self.owner = owner
    }

    deinit {
        owned?.deallocate()
    }
}

/// Float32 storage in host memory, zero-filled on creation and freed with its last reference.
public final class HostStorage: TensorStorage, @unchecked Sendable {
    /// Start of the elements; valid for `count` floats while the storage lives.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of float32 elements.
    public let count: Int

    /// Allocates `count` zeroed floats.
    public init(count: Int) {
        precondition(count >= 0, "negative storage size \(count)")
        self.count = count
        // Never allocate zero bytes: some allocators return nil-like pointers for it.
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        pointer.deallocate()
    }
}
