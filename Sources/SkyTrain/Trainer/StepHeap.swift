/// Keeps the memory a training step frees in the process's heap for the next step.
///
/// Every step allocates the same activation and gradient buffers (~0.5 GiB for the 25M model at 4 × 512
/// tokens). glibc serves blocks above its mmap threshold (at most 32 MiB) with fresh mappings and unmaps them
/// on free, so each step page-faulted all of them back in: 10% of a step in a profile on a loaded host.
/// Raising the mmap and trim thresholds keeps freed blocks for reuse; `release()` hands them back when a
/// run ends. Process-wide, set once, and a no-op off glibc.
enum StepHeap {
    private static let configured: Bool = {
        #if os(Linux)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
        return glibcMallopt(mmapThreshold, 1 << 30) == 1 && glibcMallopt(trimThreshold, 1 << 30) == 1
        #else
        return false
        #endif
    }()

    /// Applies the thresholds (once per process).
    static func retainFreedMemory() {
        _ = configured
    }

    /// Returns the heap's free pages to the kernel.
    static func release() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
/// glibc's mallopt and malloc_trim, which the Glibc module does not export (they live in malloc.h).
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
