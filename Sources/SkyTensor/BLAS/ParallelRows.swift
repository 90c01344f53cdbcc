import Dispatch

/// Splits `rows` into at most `threads` contiguous chunks and runs `body` on each, in parallel when the
/// work (rows × costPerRow) is big enough to pay for waking threads.
@inline(__always)
func parallelRows(_ rows: Int, threads: Int, costPerRow: Int, _ body: (Range<Int>) -> Void) {
    // Below ~64k element-operations a dispatch round trip costs more than it saves.
    let chunks = min(threads, rows, max(1, rows * costPerRow / 65_536))
    if chunks <= 1 {
        body(0..<rows)
        return
    }
    // Chunks touch disjoint rows, which is what makes sharing the caller's pointers across threads safe.
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(value: body)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = rows * chunk / chunks
            let end = rows * (chunk + 1) / chunks
            shared.value(start..<end)
        }
    }
}

/// Carries a value into a concurrent closure whose callers guarantee disjoint access.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
