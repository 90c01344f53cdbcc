import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a child's stdout and stderr pipes without blocking past a poll, keeping at most `cap` bytes of each;
/// reading more marks the run as overflowed, so a program printing forever is stopped, never buffered.
struct OutputReader {
    var stdout = Data()
    var stderr = Data()
    private(set) var overflowed = false
    private var fds: [Int32]
    private let cap: Int
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    init(stdout: Int32, stderr: Int32, cap: Int) {
        fds = [stdout, stderr]
        self.cap = cap
    }

    /// Waits up to `milliseconds` for output and reads what is there.
    mutating func poll(milliseconds: Int32) {
        var polled = fds.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        if polled.isEmpty {
            // Both pipes are closed; the child is about to be reaped, so check again soon.
            usleep(UInt32(min(milliseconds, 2)) * 1000)
            return
        }
        guard systemPoll(&polled, nfds_t(polled.count), milliseconds) > 0 else { return }
        for entry in polled where entry.revents != 0 { read(entry.fd) }
    }

    /// Reads everything already written (the child has exited); stops at the first empty poll.
    mutating func drain() {
        for _ in 0..<1024 where !overflowed && fds.contains(where: { $0 >= 0 }) {
            var polled = fds.filter { $0 >= 0 }.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard systemPoll(&polled, nfds_t(polled.count), 0) > 0 else { return }
            for entry in polled where entry.revents != 0 { read(entry.fd) }
        }
    }

    mutating func read(_ fd: Int32) {
        let count = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
        if count < 0 && (errno == EINTR || errno == EAGAIN) { return }
        guard count > 0 else {
            systemClose(fd)
            fds = fds.map { $0 == fd ? -1 : $0 }
            return
        }
        let isStdout = fd == fds[0]
        let current = isStdout ? stdout.count : stderr.count
        let keep = min(count, cap - current)
        if keep > 0 {
            if isStdout { stdout.append(contentsOf: buffer[0..<keep]) } else { stderr.append(contentsOf: buffer[0..<keep]) }
        }
        if keep < count { overflowed = true }
    }

    mutating func close() {
        for fd in fds where fd >= 0 { systemClose(fd) }
        fds = [-1, -1]
    }
}

// The reader's methods are named like the system calls they make, so the calls go through these.
private func systemPoll(_ fds: UnsafeMutablePointer<pollfd>, _ count: nfds_t, _ timeout: Int32) -> Int32 { poll(fds, count, timeout) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemClose(_ fd: Int32) { _ = close(fd) }
