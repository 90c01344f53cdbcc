import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds and kills every process of one uid, from /proc. A program that left its process group (setsid) escapes the
/// group kill; it cannot escape its uid, which no other process has (see `CodeSandbox`).
enum ProcessReaper {
    /// Pids of processes (not zombies) whose real uid is `uid`.
    static func processes(ofUID uid: UInt32) -> [pid_t] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { pid_t($0) }.filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            var realUID: UInt32?
            var zombie = false
            for line in status.split(separator: "\n") {
                if line.hasPrefix("State:") { zombie = line.contains("Z (zombie)") }
                if line.hasPrefix("Uid:") { realUID = line.split(whereSeparator: \.isWhitespace).dropFirst().first.flatMap { UInt32($0) } }
            }
            return realUID == uid && !zombie
        }
    }

    /// SIGKILLs every process of `uid` until none is left (RLIMIT_NPROC bounds how many can appear meanwhile).
    static func killAll(uid: UInt32) {
        for _ in 0..<100 {
            let pids = processes(ofUID: uid)
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(5_000)
        }
    }
}
