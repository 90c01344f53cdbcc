import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs PostgreSQL's own tools (initdb, pg_ctl, createdb) with posix_spawn.
///
/// Not Foundation's `Process`: it hands the child a descriptor it watches to learn that the child has exited,
/// and `pg_ctl start` passes every inherited descriptor on to the postmaster it daemonises, so `Process`
/// would wait for the server to exit. Here the child gets only stdin (/dev/null), stdout and stderr.
enum Subprocess {
    /// What a finished program left behind.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `arguments[0]` (an absolute path) to completion, optionally as `user` (root only).
    static func run(_ arguments: [String], asUser user: String? = nil) throws -> Output {
        let argv = (user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []) + arguments
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw spawnError(argv, errno) }
        let pid: pid_t
        do {
            pid = try spawn(argv, stdout: outPipe[1], stderr: errPipe[1])
        } catch {
            for fd in outPipe + errPipe { close(fd) }
            throw error
        }
        close(outPipe[1])
        close(errPipe[1])
        let (out, err) = drain(outPipe[0], errPipe[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = status & 0x7f == 0
        return Output(status: exited ? (status >> 8) & 0xff : 128 + (status & 0x7f), stdout: out, stderr: err)
    }

    /// Starts `arguments[0]` without waiting for it, with no descriptors but /dev/null and, when given, `passing`
    /// as its descriptor 3; returns its pid.
    static func launchDetached(_ arguments: [String], passing: Int32? = nil) throws -> pid_t {
        let devnull = open("/dev/null", O_WRONLY)
        defer { close(devnull) }
        let pid = try spawn(arguments, stdout: devnull, stderr: devnull, fd3: passing)
        // Reap it when it ends so it does not linger as a zombie while we run.
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        return pid
    }

    private static func spawn(_ argv: [String], stdout: Int32, stderr: Int32, fd3: Int32? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let fd3 { posix_spawn_file_actions_adddup2(&actions, fd3, 3) }
        let firstClosed: Int32 = fd3 == nil ? 3 : 4
        if let closeFrom = closeFromAction {
            _ = closeFrom(&actions, firstClosed)
        } else {
            for fd in openDescriptors() where fd >= firstClosed { posix_spawn_file_actions_addclose(&actions, fd) }
        }
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { environment.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, cArgs, environment)
        guard result == 0 else { throw spawnError(argv, result) }
        return pid
    }

    /// glibc ≥ 2.34 closes every descriptor from N up in the child; Swift's Glibc module does not export it.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFromAction: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap(Int32.init)
    }

    /// Reads both pipes to the end without letting either fill up and block the child.
    private static func drain(_ out: Int32, _ err: Int32) -> (String, String) {
        var buffers = [Data(), Data()]
        var fds = [pollfd(fd: out, events: Int16(POLLIN), revents: 0), pollfd(fd: err, events: Int16(POLLIN), revents: 0)]
        var open = 2
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while open > 0 {
            if poll(&fds, 2, -1) < 0 {
                if errno == EINTR { continue }
                break
            }
            for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
                let count = read(fds[index].fd, &chunk, chunk.count)
                if count > 0 {
                    buffers[index].append(contentsOf: chunk[0..<count])
                } else if count == 0 || errno != EINTR {
                    close(fds[index].fd)
                    fds[index].fd = -1
                    open -= 1
                }
            }
        }
        return (String(decoding: buffers[0], as: UTF8.self), String(decoding: buffers[1], as: UTF8.self))
    }

    private static func spawnError(_ argv: [String], _ code: Int32) -> EmbeddedPostgresError {
        EmbeddedPostgresError("cannot run \(argv.joined(separator: " ")): \(String(cString: strerror(code)))")
    }
}
