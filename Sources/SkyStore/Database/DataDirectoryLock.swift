import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<data directory>/owner.lock`, held by the one process that runs the data directory's
/// embedded PostgreSQL (and by that process's watchdog), so two processes never start, adopt or stop one cluster.
///
/// `flock` belongs to the open file, not the process: the kernel releases it when the last descriptor to it
/// closes, which is when both the owner and its watchdog are gone — even after SIGKILL. The file names the
/// holder (pid, port, command line) so waiters and guests can say whom they wait for and find its socket.
final class DataDirectoryLock: Sendable {
    /// Who holds the lock, as its file says.
    struct Holder: Sendable, CustomStringConvertible {
        var pid: pid_t
        var port: Int
        var command: String
        var description: String { "pid \(pid), \(command)" }
    }

    /// The outcome of one non-blocking try.
    enum Attempt {
        case acquired(DataDirectoryLock)
        /// Another open file holds it; `nil` while the holder has not yet written its name.
        case held(by: Holder?)
    }

    /// The locked descriptor; passed to the watchdog so the lock outlives a killed owner until the watchdog is done.
    let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Tries once to take the lock at `url` and, on success, writes this process's name and `port` into it.
    static func tryAcquire(at url: URL, port: Int) throws -> Attempt {
        let opened = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard opened >= 0 else { throw lockError(url, "cannot open", errno) }
        // Far above 0–2 and the watchdog's 3, so handing it to the watchdog is always a real dup2 (which clears
        // close-on-exec) and never a no-op onto itself.
        let fd = fcntl(opened, F_DUPFD_CLOEXEC, 10)
        close(opened)
        guard fd >= 0 else { throw lockError(url, "cannot duplicate the descriptor of", errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            close(fd)
            guard code == EWOULDBLOCK else { throw lockError(url, "cannot lock", code) }
            return .held(by: holder(at: url))
        }
        let text = "\(getpid())\n\(port)\n\(ownCommandLine())\n"
        let bytes = Array(text.utf8)
        guard ftruncate(fd, 0) == 0, pwrite(fd, bytes, bytes.count, 0) == bytes.count else {
            let code = errno
            close(fd)
            throw lockError(url, "cannot write", code)
        }
        return .acquired(DataDirectoryLock(descriptor: fd))
    }

    /// Releases the lock (once the watchdog, which shares it, has gone too).
    func release() {
        close(descriptor)
    }

    /// The holder named in the file at `url`, if it has written a complete name.
    static func holder(at url: URL) -> Holder? {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, let pid = pid_t(lines[0]), let port = Int(lines[1]) else { return nil }
        return Holder(pid: pid, port: port, command: String(lines[2]))
    }

    private static func ownCommandLine() -> String {
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/cmdline"))) ?? Data()
        let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        let line = words.enumerated().map { $0.offset == 0 ? URL(fileURLWithPath: $0.element).lastPathComponent : $0.element }
            .joined(separator: " ")
        return String(line.prefix(200))
    }

    private static func lockError(_ url: URL, _ what: String, _ code: Int32) -> EmbeddedPostgresError {
        EmbeddedPostgresError("\(what) \(url.path): \(String(cString: strerror(code)))")
    }
}
