import Dispatch
import Foundation

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

/// Runs work items 0..<units on up to `workers` threads that each take the next unstarted item when they
/// finish one, so a thread the OS leaves waiting (the machines are shared) holds up one item, not a fixed
/// share. Each worker first makes its own scratch with `makeScratch` and passes it to every item it runs.
func parallelUnits<Scratch>(_ units: Int, workers: Int, scratch makeScratch: () -> Scratch, body: (inout Scratch, Int) -> Void) {
    let workers = max(1, min(workers, units))
    if workers == 1 {
        var scratch = makeScratch()
        for unit in 0..<units { body(&scratch, unit) }
        return
    }
    let queue = UnitQueue(count: units)
    func worker() {
        var scratch = makeScratch()
        while let unit = queue.take() { body(&scratch, unit) }
    }
    // Callers give every item disjoint outputs; scratch is per worker, so nothing else is shared.
    withoutActuallyEscaping(worker) { worker in
        let shared = UncheckedSendable(value: worker)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in shared.value() }
    }
}

/// Hands out 0..<count once each to whichever thread asks next. A lock rather than an atomic: it is taken
/// once per item of ≥ ~20 µs, and Synchronization's `Atomic` needs macOS 15 where the package allows 14.
private final class UnitQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) {
        self.count = count
    }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}

/// Carries a value into a concurrent closure whose callers guarantee disjoint access.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
}
