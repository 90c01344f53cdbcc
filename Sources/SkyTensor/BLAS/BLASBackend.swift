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
