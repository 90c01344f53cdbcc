import Foundation
import SkyClient
import SkyCore
import SkyTestSupport
import Testing

/// APIClient against a live server and worker: every call goes over loopback HTTP.
@Suite struct APIClientEndToEndTests {
    @Test func aSubmittedJobRunsAndShowsInListingsEventsAndExperiments() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let job = try await client.submit(NewJob(kind: .sleep, spec: .object(["output": .string("done")]), name: "nap", experiment: "e2e", tags: ["t1"]))
                #expect(job.kind == .sleep && job.name == "nap" && job.experiment == "e2e")
                let finished = try await eventually { try await client.job(job.id).state == .succeeded }
                #expect(finished)
                let done = try await client.job(job.id)
                #expect(done.result == .string("done") && done.workerId == "client-test-worker" && done.timings.runSeconds != nil)

                let page = try await client.jobs(JobFilter(states: [.succeeded], experiment: "e2e", tag: "t1"))
                #expect(page.jobs.map(\.id) == [job.id])
                #expect(try await client.jobs(JobFilter(states: [.failed])).jobs.isEmpty)
                #expect(try await client.events(job.id).map(\.to) == [.queued, .running, .succeeded])
                let experiment = try await client.experiment("e2e")
                #expect(experiment.counts.succeeded == 1 && experiment.jobs.map(\.id) == [job.id])
                #expect(try await client.experiments().map(\.name) == ["e2e"])
                let queue = try #require(try await client.queues().first { $0.name == "default" })
                #expect(queue.counts.succeeded == 1 && !queue.paused)
                #expect(try await client.workers().map(\.id) == ["client-test-worker"])
                #expect(try await client.health().status == "ok")
            }
        }
    }

    @Test func listingsFollowCursorsAcrossPages() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                // A queue no worker serves, so the jobs stay put while they are listed.
                let results = try await client.submitBatch((0..<7).map { _ in NewJob(kind: .sleep, spec: .object([:]), queue: "parked") })
                let first = try await client.jobs(limit: 3)
                #expect(first.jobs.count == 3 && first.nextCursor != nil)
                let all = try await client.allJobs(maximum: 100)
                #expect(all.map(\.id) == results.map(\.id).reversed())
                #expect(try await client.allJobs(maximum: 5).count == 5)
            }
        }
    }

    @Test func followingLogsDeliversLinesWrittenWhileConnectedAndEndsWithTheJob() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let job = try await client.submit(NewJob(
                    kind: .sleep, spec: .object(["durationSeconds": .number(1), "failureProbability": .number(1), "failPermanently": .bool(true)]),
                    maxAttempts: 1))
                var lines: [LogLine] = []
                for try await line in client.followLogs(job.id) { lines.append(line) }
                #expect(lines.count == 1)
                #expect(lines.first?.level == "error" && lines.first?.message.contains("failed on purpose") == true)
                #expect(try await client.job(job.id).state == .failed)
                // The page API agrees, and a cursor at the last line gives nothing more.
                let page = try await client.logs(job.id)
                #expect(page.lines == lines && page.jobState == .failed)
                #expect(try await client.logs(job.id, after: page.nextCursor).lines.isEmpty)
                var resumed: [LogLine] = []
                for try await line in client.followLogs(job.id, after: lines.last?.id) { resumed.append(line) }
                #expect(resumed.isEmpty)
            }
        }
    }

    @Test func aDroppedLogStreamReconnectsFromTheLastLineItSaw() async throws {
        try await withTestServer { server in
            let upstream = try #require(Int(server.url.split(separator: ":").last ?? ""))
            let proxy = try DroppingProxy(upstreamPort: upstream)
            defer { proxy.stop() }
            try await withAPIClient(ServerConnection(server: "http://127.0.0.1:\(proxy.port)", token: server.adminToken)) { client in
                // Fails on attempt 1, is retried after about a second, fails for good on attempt 2: a line each.
                let job = try await client.submit(NewJob(kind: .sleep, spec: .object(["failureProbability": .number(1)]), maxAttempts: 2))
                var lines = client.followLogs(job.id).makeAsyncIterator()
                let first = try #require(try await lines.next())
                let connectionsBeforeDrop = proxy.acceptedCount
                proxy.dropConnections()
                var rest: [LogLine] = []
                while let line = try await lines.next() { rest.append(line) }
                #expect(first.attempt == 1 && rest.map(\.attempt) == [2])
                #expect(proxy.acceptedCount > connectionsBeforeDrop)
                #expect(try await client.job(job.id).state == .failed)
            }
        }
    }

    @Test func cancellingARunningJobStopsItAndRetryRunsItAgain() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let job = try await client.submit(NewJob(kind: .sleep, spec: .object(["durationSeconds": .number(600)])))
                let running = try await eventually { try await client.job(job.id).state == .running }
                #expect(running)
                let answer = try await client.cancel(job.id, reason: "test says stop")
                #expect(answer.cancelRequested || answer.state == .cancelled)
                let cancelled = try await eventually { try await client.job(job.id).state == .cancelled }
                #expect(cancelled)
                let conflict = await #expect(throws: APIError.self) { try await client.cancel(job.id) }
                #expect(conflict?.status == 409 && conflict?.exitCode == 1)
                let retried = try await client.retry(job.id)
                #expect(retried.state == .queued || retried.state == .running)
                _ = try await client.cancel(job.id)
            }
        }
    }

    @Test func errorsComeBackTyped() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                let missing = await #expect(throws: APIError.self) { try await client.job(999_999) }
                guard case .notFound(let problem)? = missing else { Issue.record("expected notFound, got \(String(describing: missing))"); return }
                #expect(problem.status == 404 && problem.name == "not-found")
                #expect(missing?.exitCode == 66)

                let invalid = await #expect(throws: APIError.self) {
                    try await client.submit(NewJob(kind: .sleep, spec: .object(["durationSeconds": .number(-1)])))
                }
                #expect(invalid?.status == 422 && invalid?.exitCode == 65)
                #expect(invalid?.problem?.errors?.contains { $0.pointer.hasPrefix("/spec/durationSeconds") } == true)
            }
            try await withAPIClient(server.connection(token: "sky_not_a_real_token")) { client in
                let refused = await #expect(throws: APIError.self) { try await client.jobs() }
                guard case .unauthorized(_, let source)? = refused else { Issue.record("expected unauthorized, got \(String(describing: refused))"); return }
                #expect(source == .explicit && refused?.exitCode == 77)
                // Probes need no token.
                let health = try await client.health()
                #expect(health.status == "ok")
            }
            try await withAPIClient(server.connection(token: server.readToken)) { client in
                let forbidden = await #expect(throws: APIError.self) { try await client.pauseQueue("default") }
                guard case .forbidden? = forbidden else { Issue.record("expected forbidden, got \(String(describing: forbidden))"); return }
                let visible = try await client.jobs()
                #expect(visible.jobs.isEmpty)
            }
        }
    }

    @Test func aServerThatIsNotThereIsReportedAsUnreachableWithItsURL() async throws {
        // A port that was free a moment ago: bound then closed, so nothing listens on it.
        let port = try freeLoopbackPort()
        try await withAPIClient(ServerConnection(server: "http://127.0.0.1:\(port)", token: "x")) { client in
            let error = await #expect(throws: APIError.self) { try await client.jobs() }
            guard case .unreachable(let server, let reason)? = error else { Issue.record("expected unreachable, got \(String(describing: error))"); return }
            #expect(server == "http://127.0.0.1:\(port)" && reason == "connection refused")
            #expect(error?.exitCode == 69)
        }
    }

    @Test func queuesPauseAndResume() async throws {
        try await withTestServer { server in
            try await withAPIClient(server.connection()) { client in
                #expect(try await client.pauseQueue("default", reason: "maintenance").paused)
                let job = try await client.submit(NewJob(kind: .sleep, spec: .object([:])))
                try await Task.sleep(for: .milliseconds(600))
                #expect(try await client.job(job.id).state == .queued)
                #expect(try await client.resumeQueue("default").paused == false)
                let ran = try await eventually { try await client.job(job.id).state == .succeeded }
                #expect(ran)
            }
        }
    }
}
