import Foundation
import Glibc
import HTTPTypes
import HummingbirdTesting
import SkyCore
import SkyServer
import Testing

/// Slow or idle clients cannot hold the server: on a real socket, a connection that dribbles its request head
/// (slowloris) or sends nothing is closed after `requestHeadSeconds`; connections past `maxConnections` wait in the
/// backlog and are served once the idle ones are gone; a response being written (a log follow over SSE) is never
/// cut by that deadline; a head over `maxHeaderBytes` is refused.
@Suite struct SlowClientTests {
    static let quick = SkyServerConfiguration(port: 0, databaseTimeoutSeconds: 60, requestHeadSeconds: 1, maxConnections: 3)

    @Test func aClientDribblingItsHeadIsClosedAndOthersAreServed() async throws {
        try await withAPI(.live, configuration: Self.quick) { api in
            let port = try #require(api.client.port)
            let slow = try RawConnection(port: port)
            try slow.send("GET /healthz HTTP/1.1\r\nHost: sky\r\n")
            let start = ContinuousClock.now
            var closed = false
            // One more header line every 200 ms: each byte is activity, but the head never ends.
            while !closed, ContinuousClock.now - start < .seconds(10) {
                let sent = slow.send(orClosed: "X-Slow: \(Int.random(in: 0..<1000))\r\n")
                let answer = await slow.receive(waiting: 0.2)
                closed = !sent || answer == nil
            }
            #expect(closed, "a connection dribbling its head for 10 s was still open")
            #expect(ContinuousClock.now - start >= .seconds(0.9), "closed before the 1 s deadline")
            #expect(try await RawConnection.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: sky\r\n").hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func idleConnectionsPastTheCapWaitAndAreServedOnceTheIdleOnesAreClosed() async throws {
        try await withAPI(.live, configuration: Self.quick) { api in
            let port = try #require(api.client.port)
            let idle = try (0..<3).map { _ in try RawConnection(port: port) }
            // The cap is reached; this request waits in the backlog until the head deadline closes the idle three.
            let waiting = try RawConnection(port: port)
            try waiting.send("GET /healthz HTTP/1.1\r\nHost: sky\r\nConnection: close\r\n\r\n")
            let answer = await waiting.read(until: "\r\n\r\n", within: 15)
            #expect(answer.hasPrefix("HTTP/1.1 200"), "answer: \(answer)")
            // One of the three may have waited in the backlog too (the test client holds a connection): give it its second.
            for connection in idle { #expect(await connection.closed(within: 5), "an idle connection was not closed") }
        }
    }

    @Test func aLogFollowOutlivesTheHeadDeadline() async throws {
        try await withAPI(.live, configuration: Self.quick) { api in
            let port = try #require(api.client.port)
            // On a socket of its own, like every request here: the test client's kept-alive connection may already have
            // been closed by the 1 s head deadline while the test database was being made.
            let body = String(decoding: JSONValue.sleepJob(60).encoded(), as: UTF8.self)
            let submitted = try await RawConnection.exchange(port: port, """
                POST /v1/jobs HTTP/1.1\r\nHost: sky\r\nAuthorization: Bearer \(api.admin)\r\nContent-Type: application/json\r\n\
                Content-Length: \(body.utf8.count)\r\n\r\n\(body)
                """, headEnds: false)
            let answer = try #require(submitted.range(of: "\r\n\r\n").map { String(submitted[$0.upperBound...]) })
            let id = try #require(JSONValue.parse(Data(answer.utf8))["id"]?.numberValue.map(Int64.init))  // stays queued: no workers here
            let follow = try RawConnection(port: port)
            try follow.send("GET /v1/jobs/\(id)/logs?follow=true HTTP/1.1\r\nHost: sky\r\nAuthorization: Bearer \(api.admin)\r\n\r\n")
            let head = await follow.read(until: "retry: 2000", within: 10)
            #expect(head.hasPrefix("HTTP/1.1 200") && head.contains("text/event-stream"), "\(head)")
            // Three times the head deadline with nothing sent either way: the stream stays open.
            try await Task.sleep(for: .seconds(3))
            #expect(await follow.receive(waiting: 0.2) == "", "the follow was closed while its response was being written")
            let cancel = "POST /v1/jobs/\(id)/cancel HTTP/1.1\r\nHost: sky\r\nAuthorization: Bearer \(api.admin)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            #expect(try await RawConnection.exchange(port: port, cancel, headEnds: false).hasPrefix("HTTP/1.1 200"))
            let rest = await follow.read(until: "event: end", within: 20)
            #expect(rest.contains("event: end"), "\(rest)")
        }
    }

    @Test func aHeadOverTheLimitIsRefused() async throws {
        let configuration = SkyServerConfiguration(port: 0, databaseTimeoutSeconds: 60, maxHeaderBytes: 8 << 10)
        try await withAPI(.live, configuration: configuration) { api in
            let port = try #require(api.client.port)
            let big = try RawConnection(port: port)
            try big.send("GET /healthz HTTP/1.1\r\nHost: sky\r\nX-Big: \(String(repeating: "a", count: 16 << 10))\r\n\r\n")
            let answer = await big.read(until: nil, within: 10)
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 4"), "a 16 KiB header against an 8 KiB limit got: \(answer.prefix(200))")
            #expect(!answer.hasPrefix("HTTP/1.1 200"))
            #expect(try await RawConnection.exchange(port: port, "GET /healthz HTTP/1.1\r\nHost: sky\r\n").hasPrefix("HTTP/1.1 200"))
        }
    }
}

/// A plain TCP connection to 127.0.0.1, to send exactly the bytes a misbehaving client would.
final class RawConnection {
    private let socket: Int32

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    deinit { close(socket) }

    /// Sends `text`; throws if the connection is gone.
    func send(_ text: String) throws {
        guard send(orClosed: text) else { throw POSIXError(.EPIPE) }
    }

    /// Sends `text`; false when the peer has closed (no SIGPIPE).
    func send(orClosed text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Whether the peer closes the connection within `seconds` (whatever it sends first is read and dropped).
    func closed(within seconds: Double) async -> Bool {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .seconds(seconds) {
            if await receive(waiting: 0.1) == nil { return true }
        }
        return false
    }

    /// One request on a fresh connection, closed after the answer: `request` is sent with `Connection: close` and the
    /// blank line added unless `headEnds` is false (it carries its own head end and body).
    static func exchange(port: Int, _ request: String, headEnds: Bool = true) async throws -> String {
        let connection = try RawConnection(port: port)
        var text = request
        if headEnds { text += "Connection: close\r\n\r\n" } else { text = text.replacingOccurrences(of: "\r\n\r\n", with: "\r\nConnection: close\r\n\r\n") }
        try connection.send(text)
        return await connection.read(until: nil, within: 30)
    }

    /// What arrives until `marker` has (nil: until the peer closes) or `seconds` pass.
    func read(until marker: String?, within seconds: Double) async -> String {
        var text = ""
        let start = ContinuousClock.now
        while marker.map({ !text.contains($0) }) ?? true, ContinuousClock.now - start < .seconds(seconds) {
            guard let bytes = await receive(waiting: 0.2) else { break }
            text += bytes
        }
        return text
    }

    /// What arrived within `seconds`: "" when nothing did (the connection is open), nil when the peer closed it. Waits
    /// with Task.sleep between non-blocking polls: a blocking wait would hold one of the few cooperative threads the
    /// server under test needs too.
    func receive(waiting seconds: Double) async -> String? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while poll(&poller, 1, 0) == 0 {
            guard ContinuousClock.now < deadline else { return "" }
            try? await Task.sleep(for: .milliseconds(10))
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(socket, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}
