import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One spawned launcher: its own process group, stdin from a file, stdout and stderr read through pipes with caps,
/// a wall-clock deadline, and at the end a group-wide SIGKILL and (with its own uid) a kill of everything of that uid,
/// so nothing it started outlives the test.
enum SandboxProcess {
    static func run(executable: String, arguments: [String], stdinPath: String, uid: UInt32?, limits: SandboxLimits) throws(SandboxError) -> SandboxRun {
        let input = open(stdinPath, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .setupFailed("open \(stdinPath): \(errnoText())") }
        defer { close(input) }
        var out: [Int32] = [-1, -1]
        var err: [Int32] = [-1, -1]
        guard pipe(&out) == 0 else { throw .setupFailed("pipe: \(errnoText())") }
        guard pipe(&err) == 0 else {
            close(out[0]); close(out[1])
            throw .setupFailed("pipe: \(errnoText())")
        }
        // Not pipe2 (GNU only): a child spawned by another thread in between may inherit these, which only delays EOF.
        for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let start = DispatchTime.now().uptimeNanoseconds
        let pid: pid_t
        do {
            defer { close(out[1]); close(err[1]) }
            pid = try spawn(executable, arguments, stdin: input, stdout: out[1], stderr: err[1])
        } catch {
            close(out[0]); close(err[0])
            throw error
        }
        var reader = OutputReader(stdout: out[0], stderr: err[0], cap: limits.maxOutputBytes)
        let deadline = start + UInt64(limits.wallSeconds * 1e9)
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        while !reader.overflowed {
            if !exited, hasExited(pid) { exited = true }
            if exited {
                reader.drain()
                break
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if now >= deadline {
                timedOut = true
                break
            }
            reader.poll(milliseconds: Int32(min(20, (deadline - now) / 1_000_000 + 1)))
        }
        // The whole group, twice: a fork racing the first kill is caught by the second.
        kill(-pid, SIGKILL)
        // Reaped only now: until then the leader's zombie keeps its pid, so the group id cannot be reused by the time
        // the kills above are sent.
        _ = waitpid(pid, &status, 0)
        kill(-pid, SIGKILL)
        if let uid { ProcessReaper.killAll(uid: uid) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        reader.close()
        let signaled = !timedOut && !reader.overflowed && (status & 0x7f) != 0
        return SandboxRun(exitCode: (status & 0x7f) == 0 ? (status >> 8) & 0xff : nil,
                          signal: signaled ? status & 0x7f : nil,
                          stdout: String(decoding: reader.stdout, as: UTF8.self),
                          stderr: String(decoding: reader.stderr, as: UTF8.self),
                          timedOut: timedOut, outputTooLarge: reader.overflowed, seconds: seconds, processGroup: pid, uid: uid)
    }

    /// posix_spawn in a new process group with default signal dispositions and an empty mask, whatever the caller had.
    static func spawn(_ executable: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32) throws(SandboxError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        var all = sigset_t()
        var none = sigset_t()
        sigfillset(&all)
        sigemptyset(&none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        // The launcher builds the program's environment itself; the launcher's own needs none.
        let envp: [UnsafeMutablePointer<CChar>?] = [strdup("LANG=C.UTF-8"), nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw .setupFailed("spawn \(executable): \(String(cString: strerror(result)))") }
        return pid
    }

    /// Whether `pid` has exited, without reaping it.
    static func hasExited(_ pid: pid_t) -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._sigchld.si_pid == pid
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
