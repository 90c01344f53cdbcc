import CBLAS

/// The CPU backend: matrix products through OpenBLAS's cblas_sgemm and cblas_sgemv, the other ops as
/// vectorisable loops; large products and loops are split across cores by the backend itself.
public struct BLASBackend: Backend {
    /// Threads this backend splits large products and row loops across.
    public let threads: Int

    /// A backend using `threads` threads (default: SKY_NUM_THREADS, OPENBLAS_NUM_THREADS, core count).
    public init(threads: Int? = nil) {
        self.threads = ThreadCount.resolve(explicit: threads)
        // OpenBLAS runs single-threaded and the backend splits products itself (`SplitBLAS`). OpenBLAS's own
        // threads spin after every call and were handed every product however small: a tiny model's decode
        // took 1.84 s with them and 0.054 s without, and they fought the dispatch workers of the row loops.
        // Its setting is process-wide, so fixing it at 1 also lets backends with different counts coexist.
        openblas_set_num_threads(1)
    }

    /// The threads OpenBLAS itself uses: 1 once any backend exists, for benchmark reports and tests.
    public static var libraryThreads: Int { Int(openblas_get_num_threads()) }

    /// Always "blas".
    public var name: String { "blas" }

    public func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: HostStorage(count: shape.reduce(1, *)))
    }

    public func tensor(_ values: [Float], shape: [Int]) -> Tensor {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        let t = zeros(shape)
        values.withUnsafeBufferPointer { src in
            guard let base = src.baseAddress else { return }
            t.hostPointer.update(from: base, count: values.count)
        }
        return t
    }

    /// Kept as bfloat16: read in place from `owner`'s memory when it is aligned, else copied once.
    public func tensor(bfloat16 bits: UnsafeBufferPointer<UInt16>, shape: [Int], owner: (any AnyObject & Sendable)?) -> Tensor {
        precondition(bits.count == shape.reduce(1, *), "\(bits.count) values for shape \(shape)")
        let aligned = bits.baseAddress.map { Int(bitPattern: $0) % MemoryLayout<UInt16>.alignment == 0 } ?? false
        let storage = if let owner, aligned { HostBFloat16Storage(referencing: bits, owner: owner) } else { HostBFloat16Storage(copying: bits) }
        return Tensor(shape: shape, storage: storage)
    }

    public func toArray(_ tensor: Tensor) -> [Float] {
        if tensor.dtype == .bfloat16 {
            return [Float](unsafeUninitializedCapacity: tensor.count) { buffer, initialized in
                if let out = buffer.baseAddress { BFloat16Kernels.widen(tensor.bfloat16Pointer, out, count: tensor.count) }
                initialized = tensor.count
            }
        }
        return Array(UnsafeBufferPointer(start: tensor.hostPointer, count: tensor.count))
    }

    public func copy(_ out: Tensor, _ input: Tensor) {
        precondition(out.count == input.count, "copy of \(input.shape) into \(out.shape)")
        if input.dtype == .bfloat16 {
            BFloat16Kernels.widen(input.bfloat16Pointer, out.hostPointer, count: input.count)
            return
        }
        out.hostPointer.update(from: input.hostPointer, count: input.count)
    }
}

extension Tensor {
    /// The first element in host memory; only valid for float32 tensors made by the BLAS backend.
    @inline(__always)
    var hostPointer: UnsafeMutablePointer<Float> {
        guard let host = storage as? HostStorage else {
            preconditionFailure(storage is HostBFloat16Storage
                ? "BLASBackend: this op takes float32 and was given a bfloat16 tensor of shape \(shape) (bf16 is for weights of linear and embedding)"
                : "BLASBackend given a tensor whose storage is \(type(of: storage)), not host memory")
        }
        return host.pointer + offset
    }

    /// The first element of a bfloat16 tensor in host memory.
    var bfloat16Pointer: UnsafePointer<UInt16> {
        guard let host = storage as? HostBFloat16Storage else {
            preconditionFailure("BLASBackend expected a bfloat16 tensor, got \(type(of: storage))")
        }
        return host.pointer + offset
    }
}
