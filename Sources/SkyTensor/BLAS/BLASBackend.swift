import CBLAS

/// The CPU backend: matrix products through OpenBLAS's cblas_sgemm, the other ops as vectorisable loops
/// split across cores.
public struct BLASBackend: Backend {
    /// Threads used by OpenBLAS and by this backend's own loops.
    public let threads: Int

    /// A backend using `threads` threads (default: SKY_NUM_THREADS, OPENBLAS_NUM_THREADS, core count).
    ///
    /// OpenBLAS's thread count is process-wide, so the last backend created sets it for all.
    public init(threads: Int? = nil) {
        let resolved = ThreadCount.resolve(explicit: threads)
        self.threads = resolved
        openblas_set_num_threads(Int32(resolved))
    }

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

    public func toArray(_ tensor: Tensor) -> [Float] {
        Array(UnsafeBufferPointer(start: tensor.hostPointer, count: tensor.count))
    }

    public func copy(_ out: Tensor, _ input: Tensor) {
        precondition(out.count == input.count, "copy of \(input.shape) into \(out.shape)")
        out.hostPointer.update(from: input.hostPointer, count: input.count)
    }
}

extension Tensor {
    /// The first element in host memory; only valid for tensors made by the BLAS backend.
    @inline(__always)
    var hostPointer: UnsafeMutablePointer<Float> {
        guard let host = storage as? HostStorage else {
            preconditionFailure("BLASBackend given a tensor whose storage is \(type(of: storage)), not host memory")
        }
        return host.pointer + offset
    }
}
