import Foundation
public import SkyModel

/// The process's resident-memory high-water mark, resettable on Linux so that one phase (a job, a benchmark
/// mode) can be measured on its own in a process that did other work before.
public enum PeakMemory {
    /// Hands freed heap pages back to the kernel and resets VmHWM to the current VmRSS (Linux ≥ 4.0: writing
    /// 5 to /proc/self/clear_refs). Returns false where the platform cannot, and the peak stays the process's.
    @discardableResult
    public static func reset() -> Bool {
        // Without the trim, memory a previous phase freed stays resident, hides the next phase's growth
        // and inflates its baseline.
        StepHeap.release()
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }

    /// VmRSS and VmHWM now, or nil where /proc is missing.
    public static func read() -> ResidentMemory? {
        ResidentMemory.read()
    }
}
