import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP relay in front of a real server whose connections a test can cut, as a flaky network would.
final class DroppingProxy: Sendable {
    /// The loopback port clients connect to.
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let sockets = Mutex<Set<Int32>>([])
    private let accepted = Atomic<Int>(0)

    /// Starts relaying from a free loopback port to `upstreamPort`.
    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard descriptor >= 0, ready else { throw TestServerError("proxy: \(String(cString: strerror(errno)))") }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    /// Connections accepted so far.
    var acceptedCount: Int { accepted.load(ordering: .relaxed) }

    /// Cuts every open connection; new ones are still accepted.
    func dropConnections() {
        sockets.withLock { open in
            for descriptor in open { shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }

    /// Stops accepting and cuts everything.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        dropConnections()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = Self.loopback(port: upstreamPort)
            let connected = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
            }
            guard connected else {
                close(client)
                close(upstream)
                continue
            }
            accepted.add(1, ordering: .relaxed)
            sockets.withLock { $0.formUnion([client, upstream]) }
            let finished = Atomic<Int>(0)
            let pair = (client, upstream)
            // Each direction on its own thread; whichever ends first cuts both, the second closes them.
            for (from, to) in [(client, upstream), (upstream, client)] {
                Thread.detachNewThread { [self] in
                    Self.relay(from: from, to: to)
                    shutdown(pair.0, Int32(SHUT_RDWR))
                    shutdown(pair.1, Int32(SHUT_RDWR))
                    if finished.add(1, ordering: .acquiringAndReleasing).newValue == 2 {
                        sockets.withLock { $0.subtract([pair.0, pair.1]) }
                        close(pair.0)
                        close(pair.1)
                    }
                }
            }
        }
    }

    private static func relay(from: Int32, to: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(from, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            var sent = 0
            while sent < count {
                let written = buffer.withUnsafeBytes { send(to, $0.baseAddress! + sent, count - sent, Int32(MSG_NOSIGNAL)) }
                guard written > 0 else { return }
                sent += written
            }
        }
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
