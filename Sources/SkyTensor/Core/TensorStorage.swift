/// Memory that holds a tensor's elements; each backend owns its own kind (host arrays, device buffers).
public protocol TensorStorage: AnyObject, Sendable {
    /// Number of float32 elements the storage holds.
    var count: Int { get }
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
