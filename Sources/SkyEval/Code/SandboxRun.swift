/// What happened to one sandboxed program.
public struct SandboxRun: Sendable, Equatable {
    /// The exit status when the program exited.
    public var exitCode: Int32?
    /// The signal that ended it, when one did (9 after a kill, 24 for the CPU limit).
    public var signal: Int32?
    /// Its stdout, at most `maxOutputBytes`, decoded as UTF-8 with repairs.
    public var stdout: String
    /// Its stderr, at most `maxOutputBytes`.
    public var stderr: String
    /// The wall-clock limit ran out and the process group was killed.
    public var timedOut: Bool
    /// It wrote more than `maxOutputBytes` and was killed.
    public var outputTooLarge: Bool
    /// Wall-clock seconds from spawn to exit or kill.
    public var seconds: Double
    /// The process group the program ran in (its pid); gone once `run` returns.
    public var processGroup: Int32
    /// The uid it ran as when Sky is root (one of its own); nil when it ran as the caller.
    public var uid: UInt32?

    /// Why the run failed, or nil when the program exited 0 in time within its limits.
    public var failure: String? {
        if timedOut { return "timeout" }
        if outputTooLarge { return "output too large" }
        let last = lastStderrLine
        if last.contains("MemoryError") { return "memory limit exceeded" }
        if last.hasPrefix("sky-sandbox:") { return "sandbox error: \(last)" }
        if let signal {
            if signal == 24 || signal == 9 { return "timeout (CPU limit)" }
            return "runtime error: killed by signal \(signal)" + (last.isEmpty ? "" : ": \(last)")
        }
        if let exitCode, exitCode != 0 {
            return "runtime error: exit status \(exitCode)" + (last.isEmpty ? "" : ": \(last)")
        }
        return nil
    }

    /// The last non-blank line of stderr, at most 200 characters.
    public var lastStderrLine: String {
        let line = stderr.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) } ?? ""
        return String(line.prefix(200))
    }
}
