import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A job's log lines as they are written, from the server's event stream; ends when the job has finished
/// and every line was delivered (the `end` event).
///
/// A dropped connection is reopened with `Last-Event-ID`, so no line is lost or repeated; so is one refused
/// while the server restarts or its database is down (503). After `maxReconnects` failed attempts in a row
/// the sequence throws.
public struct LogFollow: AsyncSequence, Sendable {
    public typealias Element = LogLine

    let client: APIClient
    let jobID: Int64
    let attempt: Int?
    let after: String?
    let maxReconnects: Int

    /// Iterates the stream, connecting lazily.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let follow: LogFollow
        var parser = ServerSentEventParser()
        var body: HTTPClientResponse.Body.AsyncIterator?
        var pending: [LogLine] = []
        var ended = false
        var failures = 0

        public mutating func next() async throws -> LogLine? {
            while true {
                if !pending.isEmpty { return pending.removeFirst() }
                if ended { return nil }
                if body == nil { try await connect() }
                do {
                    guard let chunk = try await body?.next() else {
                        // The server closed the stream without `end`: it went away mid-stream.
                        try await reconnectAfterDelay(reason: "the stream closed early")
                        continue
                    }
                    failures = 0
                    for event in parser.feed(chunk.readableBytesView) { try handle(event) }
                } catch let error as APIError {
                    throw error
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    try await reconnectAfterDelay(reason: "\(error)")
                }
            }
        }

        private mutating func handle(_ event: ServerSentEvent) throws {
            switch event.event {
            case "log":
                do {
                    pending.append(try APICoding.decoder().decode(LogLine.self, from: Data(event.data.utf8)))
                } catch {
                    throw APIError.invalidResponse(status: 200, detail: "undecodable log event: \(error)")
                }
            case "end":
                ended = true
                body = nil
            default:
                break  // Unknown events are for newer clients.
            }
        }

        private mutating func connect() async throws {
            var request = follow.client.makeRequest(.GET, "/v1/jobs/\(follow.jobID)/logs", query: [
                ("follow", "true"), ("attempt", follow.attempt.map(String.init)), ("cursor", follow.after),
            ])
            request.headers.add(name: "Accept", value: "text/event-stream")
            if let last = parser.lastEventID { request.headers.add(name: "Last-Event-ID", value: last) }
            do {
                body = try await follow.client.send(request, deadline: .distantFuture).body.makeAsyncIterator()
            } catch let error as APIError {
                // A restarting server or a database outage (503) passes; anything else the server says is final.
                let transient: Bool
                switch error {
                case .unreachable: transient = true
                default: transient = error.status == 503
                }
                guard transient, failures < follow.maxReconnects else { throw error }
                try await reconnectAfterDelay(reason: error.description)
            }
        }

        private mutating func reconnectAfterDelay(reason: String) async throws {
            body = nil
            failures += 1
            if failures > follow.maxReconnects {
                throw APIError.unreachable(server: follow.client.connection.server, reason: "log stream lost: \(reason)")
            }
            // Partial bytes of an event cut off by the drop must not merge with the next connection's.
            parser = parser.keepingPosition()
            try await Task.sleep(for: .milliseconds(Swift.min(parser.retryMilliseconds ?? 1000, 1000 * failures)))
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(follow: self) }
}

extension ServerSentEventParser {
    /// A fresh parser that remembers the last event id and retry delay, for a new connection.
    func keepingPosition() -> ServerSentEventParser {
        var parser = ServerSentEventParser()
        parser.restore(lastEventID: lastEventID, retryMilliseconds: retryMilliseconds)
        return parser
    }
}

extension APIClient {
    /// GET /v1/jobs/{id}/logs?follow=true: lines after `cursor` (all when nil) as they are written, ending with the job.
    public func followLogs(_ id: Int64, after cursor: String? = nil, attempt: Int? = nil, maxReconnects: Int = 10) -> LogFollow {
        LogFollow(client: self, jobID: id, attempt: attempt, after: cursor, maxReconnects: maxReconnects)
    }
}
