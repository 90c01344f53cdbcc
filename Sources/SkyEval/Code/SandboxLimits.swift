/// What one sandboxed test may use. Defaults suit LiveCodeBench-sized problems; tests use much smaller ones.
public struct SandboxLimits: Sendable, Equatable, Codable {
    /// Wall-clock seconds per test; then the whole process group is killed.
    public var wallSeconds: Double
    /// CPU seconds per test (RLIMIT_CPU).
    public var cpuSeconds: Int
    /// Address space in bytes (RLIMIT_AS); Python raises MemoryError past it.
    public var memoryBytes: Int
    /// Bytes of stdout, and separately of stderr, kept; a program writing more is stopped and failed.
    public var maxOutputBytes: Int
    /// Largest file the program may write (RLIMIT_FSIZE).
    public var maxFileBytes: Int
    /// Processes and threads the sandbox user may have (RLIMIT_NPROC); stops fork bombs.
    public var maxProcesses: Int

    /// Limits from their parts.
    public init(wallSeconds: Double, cpuSeconds: Int, memoryBytes: Int, maxOutputBytes: Int, maxFileBytes: Int, maxProcesses: Int) {
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.memoryBytes = memoryBytes
        self.maxOutputBytes = maxOutputBytes
        self.maxFileBytes = maxFileBytes
        self.maxProcesses = maxProcesses
    }

    /// 6 s wall, 5 s CPU, 1 GiB, 4 MiB of output, 16 MiB files, 32 processes.
    public static let standard = SandboxLimits(wallSeconds: 6, cpuSeconds: 5, memoryBytes: 1 << 30, maxOutputBytes: 4 << 20,
                                               maxFileBytes: 16 << 20, maxProcesses: 32)

    /// These limits with the wall clock (and CPU time) set to a problem's own time limit.
    public func with(timeLimit seconds: Double?) -> SandboxLimits {
        guard let seconds, seconds > 0 else { return self }
        var limits = self
        limits.wallSeconds = seconds
        limits.cpuSeconds = max(1, Int(seconds.rounded(.up)))
        return limits
    }
}
