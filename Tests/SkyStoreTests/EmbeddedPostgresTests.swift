import Foundation
import PostgresNIO
@testable import SkyStore
import SkyTestSupport
import Testing

/// Each test makes its own cluster (not the shared one), since these tests stop, kill and restart servers.
@Suite(.serialized) struct EmbeddedPostgresTests {
    func withScratchCluster(durable: Bool = false, _ body: (URL, EmbeddedPostgres) async throws -> Void) async throws {
        let directory = URL(fileURLWithPath: "/tmp/sky-embedded-\(UInt32.random(in: 0...UInt32.max))")
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.durable = durable
        options.port = 5433
        let server = try EmbeddedPostgres(options: options)
        defer {
            try? server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
        try server.start()
        try await body(directory, server)
    }

    func canQuery(_ server: EmbeddedPostgres) async throws -> Bool {
        try await withRunningClient(PostgresClient(configuration: server.clientConfiguration())) { client in
            let rows = try await client.query("SELECT 1")
            return try await rows.decode(Int.self).first { _ in true } == 1
        }
    }

    @Test func aSecondStartReusesTheClusterAndItsData() async throws {
        try await withScratchCluster { _, server in
            try await withRunningClient(PostgresClient(configuration: server.clientConfiguration())) { client in
                try await client.query("CREATE TABLE kept (x int)")
                try await client.query("INSERT INTO kept VALUES (42)")
            }
            try server.stop()
            #expect(server.runningPostmasterPID() == nil)
            try server.start()
            let value = try await withRunningClient(PostgresClient(configuration: server.clientConfiguration())) { client in
                try await client.query("SELECT x FROM kept").decode(Int.self).first { _ in true }
            }
            #expect(value == 42)
        }
    }

    @Test func aStalePostmasterPidDoesNotPreventTheNextStart() async throws {
        try await withScratchCluster { directory, server in
            try server.stop()
            // A killed server leaves its pid file behind; the pid no longer names a postgres process.
            let pidFile = directory.appendingPathComponent("postgres/postmaster.pid")
            try "999999\n\(directory.path)/postgres\n".write(to: pidFile, atomically: true, encoding: .utf8)
            try server.start()
            #expect(try await canQuery(server))
        }
    }

    func options(_ directory: URL, _ ownership: EmbeddedPostgres.Ownership, wait: Duration = .seconds(90)) -> EmbeddedPostgres.Options {
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.port = 5433
        options.ownership = ownership
        options.ownerWait = wait
        return options
    }

    @Test func aServerLeftRunningWithNoOwnerIsAdopted() async throws {
        try await withScratchCluster { directory, first in
            let pid = try #require(first.runningPostmasterPID())
            // The owner and its watchdog were killed; the next owner finds the server still running and uses it.
            first.abandonForTesting()
            let second = try EmbeddedPostgres(options: options(directory, .exclusive, wait: .seconds(5)))
            try second.start()
            defer { try? second.stop() }
            #expect(second.runningPostmasterPID() == pid)
            #expect(try await canQuery(second))
        }
    }

    @Test func aSecondOwnerWaitsForTheFirstAndNamesItWhenItDoesNotLetGo() async throws {
        try await withScratchCluster { directory, first in
            let pid = try #require(first.runningPostmasterPID())
            let second = try EmbeddedPostgres(options: options(directory, .exclusive, wait: .milliseconds(300)))
            #expect {
                try second.start()
            } throws: { error in
                "\(error)".contains("is in use by another Sky process (pid \(getpid())") && "\(error)".contains("--data-dir")
            }
            // The waiting did not touch the first owner's server.
            #expect(first.runningPostmasterPID() == pid)
            #expect(try await canQuery(first))
        }
    }

    @Test func aSecondOwnerStartsItsOwnServerOnceTheFirstHasStopped() async throws {
        try await withScratchCluster { directory, first in
            let oldPID = try #require(first.runningPostmasterPID())
            let second = try EmbeddedPostgres(options: options(directory, .exclusive))
            // Like a skyd started while the previous one is still shutting down: it must not adopt the server
            // that is about to stop.
            let started = Task.detached { try second.start() }
            try await Task.sleep(for: .milliseconds(500))
            #expect(second.runningPostmasterPID() == oldPID && !second.isGuest)
            try first.stop()
            try await started.value
            defer { try? second.stop() }
            let newPID = try #require(second.runningPostmasterPID())
            #expect(newPID != oldPID)
            #expect(try await canQuery(second))
        }
    }

    @Test func aSharedStartIsAGuestWhoseStopLeavesTheOwnersServerRunning() async throws {
        try await withScratchCluster { directory, first in
            let pid = try #require(first.runningPostmasterPID())
            // A guest on another port still finds the owner's socket.
            var guestOptions = options(directory, .shared)
            guestOptions.port = 6543
            let guest = try EmbeddedPostgres(options: guestOptions)
            try guest.start()
            #expect(guest.isGuest && guest.socketPath == first.socketPath)
            #expect(try await canQuery(guest))
            try guest.stop()
            #expect(first.runningPostmasterPID() == pid)
            #expect(try await canQuery(first))
        }
    }

    @Test func aSharedStartWithNoOwnerOwnsTheCluster() async throws {
        try await withScratchCluster { directory, first in
            try first.stop()
            let alone = try EmbeddedPostgres(options: options(directory, .shared))
            try alone.start()
            #expect(!alone.isGuest)
            #expect(try await canQuery(alone))
            try alone.stop()
            #expect(alone.runningPostmasterPID() == nil)
        }
    }

    @Test func aDataDirectoryThePostgresUserCannotReachIsExplained() throws {
        guard getuid() == 0 else { return }  // only root hands the server to the postgres user
        // Like /root: a directory only its owner may enter, with the data directory inside.
        let locked = URL(fileURLWithPath: "/tmp/sky-locked-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: locked) }
        let server = try EmbeddedPostgres(options: EmbeddedPostgres.Options(dataDirectory: locked.appendingPathComponent("sky")))
        #expect {
            try server.start()
        } throws: { error in
            "\(error)".contains("cannot reach") && "\(error)".contains("--data-dir")
        }
    }
}

/// The server skyd owns comes back by itself when its postmaster dies, with what was committed before.
@Suite(.serialized) struct EmbeddedPostgresSupervisionTests {
    @Test(arguments: [SIGKILL, SIGQUIT])  // SIGQUIT is what `pg_ctl stop -m immediate` sends
    func aPostmasterThatDiesIsStartedAgainAndCommittedRowsSurvive(signal: Int32) async throws {
        // Durable, as skyd's own cluster is: a test cluster's asynchronous commit may lose the last rows to a crash.
        try await EmbeddedPostgresTests().withScratchCluster(durable: true) { _, server in
            try await withRunningClient(PostgresClient(configuration: server.clientConfiguration())) { client in
                try await client.query("CREATE TABLE kept (v int)")
                try await client.query("INSERT INTO kept VALUES (42)")
            }
            let supervisor = Task { await server.superviseRestarts(interval: .milliseconds(200)) }
            defer { supervisor.cancel() }
            let first = try #require(server.runningPostmasterPID())
            #expect(kill(first, signal) == 0)

            let deadline = ContinuousClock.now + .seconds(90)
            var value: Int?
            while value == nil, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(300))
                guard let pid = server.runningPostmasterPID(), pid != first else { continue }
                do {
                    value = try await withRunningClient(PostgresClient(configuration: server.clientConfiguration())) { client in
                        try await client.query("SELECT v FROM kept").decode(Int.self).first { _ in true }
                    }
                } catch {
                    print("not yet: \(String(reflecting: error))")
                }
            }
            #expect(value == 42, "the server did not come back with its data within 90 s after signal \(signal)")
        }
    }
}
