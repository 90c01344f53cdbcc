/// How one matrix product out (M, N) is cut into pieces for threads: along out's rows or its columns,
/// never along K, so every piece owns its outputs and no two threads add into the same element.
struct ProductSplit: Equatable {
    /// Which dimension of the output the pieces divide.
    enum Axis: Equatable {
        case rows, columns
    }

    /// The dimension divided.
    let axis: Axis
    /// Number of pieces; 1 means the caller runs the whole product itself.
    let pieces: Int
    /// Threads that share the pieces, each taking the next one when it finishes one.
    let workers: Int

    /// No split: the product runs on the calling thread.
    static let whole = ProductSplit(axis: .rows, pieces: 1, workers: 1)

    /// Up to this many pieces per thread, so that when another process takes a core from one of our threads
    /// (the machines are shared) the others pick up its remaining pieces instead of waiting for it.
    static let piecesPerWorker = 4

    /// Piece boundaries fall on multiples of 16 elements: one 64-byte cache line of floats, and a multiple of
    /// OpenBLAS's sgemm register tile on AVX2 and AVX-512, so no piece ends in a partial tile it would not
    /// otherwise have.
    static let alignment = 16

    /// Multiply-adds below which a sgemm piece is not worth a thread. A single-threaded sgemm does ~2^20
    /// multiply-adds in 20–40 µs on the machines we measured, while waking a parked dispatch worker costs
    /// 5–20 µs on a VM; below this the hand-off eats the gain (the tiny model's products are all below it).
    static let minimumGEMMWork = 1 << 20

    /// Matrix elements below which a sgemv piece is not worth a thread. sgemv is bound by memory, ~16× slower
    /// per multiply-add than sgemm, so 2^16 floats (256 KiB, ~25 µs at 10 GB/s) buys about the same time.
    static let minimumGEMVWork = 1 << 16

    /// The split for out (m, n) = op(a) (m, k) · op(b) (k, n) on `threads` threads.
    static func gemm(m: Int, n: Int, k: Int, threads: Int) -> ProductSplit {
        plan(m: m, n: n, work: m * n * k, minimumWork: minimumGEMMWork, threads: threads)
    }

    /// The split for y (m) = a (m, n) · x (n): only a's rows can be divided without a reduction.
    static func gemv(m: Int, n: Int, threads: Int) -> ProductSplit {
        plan(m: m, n: 1, work: m * n, minimumWork: minimumGEMVWork, threads: threads)
    }

    private static func plan(m: Int, n: Int, work: Int, minimumWork: Int, threads: Int) -> ProductSplit {
        // The longer side is divided: each piece then re-packs the smaller share of the shared operand.
        let axis: Axis = n > m ? .columns : .rows
        let extent = axis == .rows ? m : n
        let alignedUnits = (extent + alignment - 1) / alignment
        let pieces = min(threads * piecesPerWorker, alignedUnits, work / max(1, minimumWork))
        return pieces > 1 && threads > 1 ? ProductSplit(axis: axis, pieces: pieces, workers: min(threads, pieces)) : .whole
    }

    /// The part of `0..<extent` that piece `index` covers; the pieces tile it in order.
    func range(_ index: Int, of extent: Int) -> Range<Int> {
        let units = (extent + Self.alignment - 1) / Self.alignment
        let start = min(extent, units * index / pieces * Self.alignment)
        let end = min(extent, units * (index + 1) / pieces * Self.alignment)
        return start..<end
    }
}
