import Foundation
import PostgresNIO
@testable import SkyStore
import SkyTestSupport
import Testing

/// Each test makes its own cluster (not the shared one), since these tests stop, kill and restart servers.
@Suite(.serialized) struct EmbeddedPostgresTests {
    func withScratchCluster(_ body: (URL, EmbeddedPostgres) async throws -> Void) async throws {
        let directory = URL(fileURLWithPath: "/tmp/sky-embedded-\(UInt32.random(in: 0...UInt32.max))")
        var options = EmbeddedPostgres.Options(dataDirectory: directory)
        options.durable = false
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

    @Test func aServerLeftRunningByAKilledOwnerIsAdopted() async throws {
        try await withScratchCluster { directory, first in
            let pid = try #require(first.runningPostmasterPID())
            // A new owner (the next skyd) finds the server still running and uses it.
            var options = EmbeddedPostgres.Options(dataDirectory: directory)
            options.port = 5433
            let second = try EmbeddedPostgres(options: options)
            try second.start()
            #expect(second.runningPostmasterPID() == pid)
            #expect(try await canQuery(second))
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
