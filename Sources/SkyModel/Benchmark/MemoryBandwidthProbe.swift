import Dispatch

/// A streaming-read memory bandwidth probe: `threads` threads each sum a contiguous slice of a buffer far
/// larger than the caches, the access pattern of a decode step reading every weight once.
public enum MemoryBandwidthProbe {
    /// Best-of-`repeats` read bandwidth in bytes per second over a `megabytes` MiB buffer.
    public static func measure(megabytes: Int = 512, threads: Int, repeats: Int = 3) -> Double {
        let count = megabytes << 18  // floats: MiB · 2^20 / 4
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64)
        defer { buffer.deallocate() }
        // Touch every page first so the timed passes read memory, not fresh zero pages.
        buffer.initializeMemory(as: Float.self, repeating: 1, count: count)
        let chunks = max(1, threads)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: chunks)
        defer { sums.deallocate() }
        let shared = ProbeBuffers(base: UnsafeRawPointer(buffer), sums: sums)
        let clock = ContinuousClock()
        var best = Double.infinity
        for _ in 0..<max(1, repeats) {
            let elapsed = clock.measure {
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    // Slices are multiples of 32 floats so every SIMD load stays aligned.
                    let blocks = count / 32
                    let start = blocks * chunk / chunks * 32, end = blocks * (chunk + 1) / chunks * 32
                    shared.sums[chunk] = sum(shared.base, from: start, to: end)
                }
            }
            best = min(best, elapsed.seconds)
        }
        // Reading the sums keeps the optimiser from dropping the loop.
        let total = (0..<chunks).reduce(Float(0)) { $0 + sums[$1] }
        precondition(total.isFinite)
        return Double(count * 4) / best
    }

    /// Sum of floats start..<end with four independent 8-wide accumulators (enough loads in flight to saturate memory).
    @inline(never)
    static func sum(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Float {
        var a = SIMD8<Float>(), b = SIMD8<Float>(), c = SIMD8<Float>(), d = SIMD8<Float>()
        var i = start
        while i < end {
            let p = base + i * 4
            a += p.load(as: SIMD8<Float>.self)
            b += p.load(fromByteOffset: 32, as: SIMD8<Float>.self)
            c += p.load(fromByteOffset: 64, as: SIMD8<Float>.self)
            d += p.load(fromByteOffset: 96, as: SIMD8<Float>.self)
            i += 32
        }
        return (a + b + c + d).sum()
    }
}

/// The probe's pointers, shared with the worker threads; each thread reads its own slice and writes its own sum.
private struct ProbeBuffers: @unchecked Sendable {
    let base: UnsafeRawPointer
    let sums: UnsafeMutablePointer<Float>
}
