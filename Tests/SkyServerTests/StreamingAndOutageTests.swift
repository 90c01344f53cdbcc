import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

@Suite struct StreamingAndOutageTests {
    @Test func followStreamsLogsUntilTheJobEnds() async throws {
        try await withAPI(configuration: .init(port: 0, databaseTimeoutSeconds: 60, logPollSeconds: 0.05)) { api in
            let id = try await api.submit(.sleepJob())
            _ = try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(30))
            let token = JobToken(id: id, attempt: 1)
            try await api.db.queue.record(logs: [JobLogLine(token: token, level: "info", message: "before")], metrics: [], progress: [])
            let queue = api.db.queue
            // The worker's side: more lines while the client follows, then the end.
            let writer = Task {
                try await Task.sleep(for: .milliseconds(300))
                try await queue.record(logs: [JobLogLine(token: token, level: "info", message: "during")], metrics: [], progress: [])
                try await Task.sleep(for: .milliseconds(300))
                try await queue.record(logs: [JobLogLine(token: token, level: "warning", message: "last")], metrics: [], progress: [])
                try await queue.complete([JobCompletion(token: token, outcome: .succeeded(result: nil))], workerID: "test-worker")
            }
            let stream = try await api.request(.get, "/v1/jobs/\(id)/logs?follow=true")
            try await writer.value
            #expect(stream.status == .ok)
            #expect(stream.headers[.contentType] == "text/event-stream")
            let events = ServerSentEvents.parse(stream.text)
            #expect(events.filter { $0.event == "log" }.compactMap { (try? JSONValue.parse(Data($0.data.utf8)))?["message"]?.stringValue }
                    == ["before", "during", "last"])
            #expect(events.last?.event == "end")
            #expect((try? JSONValue.parse(Data((events.last?.data ?? "").utf8)))?["state"]?.stringValue == "succeeded")

            // Resuming from an event id sends only what came after it.
            let firstID = events.first { $0.event == "log" }?.id ?? ""
            let resumed = try await api.request(.get, "/v1/jobs/\(id)/logs", headers: [.accept: "text/event-stream", HTTPField.Name("Last-Event-ID")!: firstID])
            #expect(ServerSentEvents.parse(resumed.text).filter { $0.event == "log" }.count == 2)
            #expect(try await api.request(.get, "/v1/jobs/9999/logs?follow=true").status == .notFound)
        }
    }

    /// The server answers 503 while its database is down, keeps running, and serves again once it is back.
    @Test func databaseOutageIs503AndRecovers() async throws {
        let (server, directory) = try TestPostgres.startCluster(port: 5433, label: "outage")
        defer {
            try? server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        let client = PostgresClient(configuration: server.clientConfiguration())
        try await withRunningClient(client) { client in
            try await Migrator(client: client).migrate()
            let secret = try await TokenStore(client: client).create(name: "t", scopes: [.admin]).secret
            let api = SkyAPI(client: client, configuration: .init(port: 0, tokenCacheSeconds: 60, databaseTimeoutSeconds: 2))
            try await api.makeApplication().test(.router) { http in
                let auth: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
                let body = ByteBuffer(bytes: JSONValue.sleepJob().encoded())
                #expect(try await http.execute(uri: "/v1/jobs", method: .post, headers: auth, body: body).status == .created)

                try server.stop()
                let down = try await http.execute(uri: "/v1/jobs", method: .get, headers: auth)
                #expect(down.status == .serviceUnavailable)
                #expect(down.headers[.retryAfter] != nil)
                #expect(down.headers[.contentType] == "application/problem+json")
                let notReady = try await http.execute(uri: "/readyz", method: .get)
                #expect(notReady.status == .serviceUnavailable)
                let submitDown = try await http.execute(uri: "/v1/jobs", method: .post, headers: auth, body: body)
                #expect(submitDown.status == .serviceUnavailable)
                #expect(try await http.execute(uri: "/healthz", method: .get).status == .ok, "the process stays up")

                try server.start()
                let recovered = try await eventually(timeout: .seconds(120)) {
                    try await http.execute(uri: "/v1/jobs", method: .get, headers: auth).status == .ok
                }
                #expect(recovered)
                let listing = try await http.execute(uri: "/v1/jobs", method: .get, headers: auth)
                let jobs = try JSONValue.parse(Data(listing.body.readableBytesView))["jobs"]
                if case .array(let items)? = jobs { #expect(items.count == 1, "the job stored before the outage is intact; none half-stored during it") }
            }
        }
    }
}

/// A minimal text/event-stream parser for the tests.
enum ServerSentEvents {
    struct Event {
        var event = "message"
        var id = ""
        var data = ""
    }

    static func parse(_ text: String) -> [Event] {
        var events: [Event] = []
        for block in text.components(separatedBy: "\n\n") where !block.isEmpty {
            var event = Event()
            var hasData = false
            for line in block.split(separator: "\n") where !line.hasPrefix(":") {
                let parts = line.split(separator: ":", maxSplits: 1)
                let value = parts.count > 1 ? String(parts[1].drop { $0 == " " }) : ""
                switch parts[0] {
                case "event": event.event = value
                case "id": event.id = value
                case "data": event.data += value; hasData = true
                default: break
                }
            }
            if hasData { events.append(event) }
        }
        return events
    }
}
