import PostgresNIO
import SkyStore
import SkyTestSupport
import Testing

@Suite struct MigrationTests {
    /// Runs `body` with a client on a brand-new database that has no schema.
    func withEmptyDatabase(_ body: (PostgresClient, PostgresClient.Configuration) async throws -> Void) async throws {
        let name = try await TestPostgres.shared.makeEmptyDatabase()
        let configuration = try await TestPostgres.shared.cluster().clientConfiguration(database: name)
        do {
            try await withRunningClient(PostgresClient(configuration: configuration)) { client in
                try await body(client, configuration)
            }
        } catch {
            await TestPostgres.shared.dropDatabase(name)
            throw error
        }
        await TestPostgres.shared.dropDatabase(name)
    }

    @Test func migratesAnEmptyDatabaseAndRecordsEachVersion() async throws {
        try await withEmptyDatabase { client, _ in
            let applied = try await Migrator(client: client).migrate()
            #expect(applied.map(\.version) == Migration.all.map(\.version))
            let versions = try await Migrator(client: client).appliedVersions()
            #expect(Set(versions.keys) == Set(Migration.all.map(\.version)))
            #expect(try await Migrator(client: client).isCurrent())
        }
    }

    @Test func theOldBackendNameCpuIsRenamedBlasInJobsAndWorkers() async throws {
        try await withEmptyDatabase { client, _ in
            try await Migrator(client: client, migrations: Migration.all.filter { $0.version < 7 }).migrate()
            try await client.query("""
                INSERT INTO jobs (kind, queue, state, spec, requirements, req_backend)
                VALUES ('sleep', 'default', 'queued', '{}', '{"backend": "cpu", "labels": []}', 'cpu'),
                       ('sleep', 'default', 'queued', '{}', '{"backend": "cuda", "labels": []}', 'cuda')
                """)
            try await client.query("""
                INSERT INTO workers (id, host, pid, version, backend, memory_mb, queues, kinds, slots)
                VALUES ('w-1', 'h', 1, '0.1.0', 'cpu', 1024, '{default}', '{sleep}', 1)
                """)
            try await Migrator(client: client).migrate()
            var jobs: [(String, String)] = []
            for try await row in try await client.query("SELECT req_backend, requirements->>'backend' FROM jobs ORDER BY id")
                .decode((String, String).self) { jobs.append(row) }
            #expect(jobs.map(\.0) == ["blas", "cuda"] && jobs.map(\.1) == ["blas", "cuda"])
            var workers: [String] = []
            for try await backend in try await client.query("SELECT backend FROM workers").decode(String.self) { workers.append(backend) }
            #expect(workers == ["blas"])
        }
    }

    @Test func migratingAnUpToDateDatabaseDoesNothing() async throws {
        try await withEmptyDatabase { client, _ in
            try await Migrator(client: client).migrate()
            let second = try await Migrator(client: client).migrate()
            #expect(second.isEmpty)
        }
    }

    @Test func twoProcessesMigratingAtOnceApplyEachMigrationOnce() async throws {
        try await withEmptyDatabase { _, configuration in
            // Separate clients stand for separate processes: each has its own connections.
            async let first = withRunningClient(PostgresClient(configuration: configuration)) { try await Migrator(client: $0).migrate() }
            async let second = withRunningClient(PostgresClient(configuration: configuration)) { try await Migrator(client: $0).migrate() }
            let (a, b) = try await (first, second)
            #expect(a.count + b.count == Migration.all.count)
            #expect(a.isEmpty || b.isEmpty)
        }
    }

    @Test func refusesADatabaseMigratedByANewerSky() async throws {
        try await withEmptyDatabase { client, _ in
            try await Migrator(client: client).migrate()
            let newest = Migration.all.last!.version
            let future = Migration(version: newest + 1, name: "from_the_future", sql: "CREATE TABLE future (x int);")
            try await Migrator(client: client, migrations: Migration.all + [future]).migrate()
            await #expect(throws: MigrationError.schemaTooNew(databaseVersion: newest + 1, binaryVersion: newest)) {
                try await Migrator(client: client).migrate()
            }
        }
    }

    @Test func refusesAnAppliedMigrationThatWasEdited() async throws {
        try await withEmptyDatabase { client, _ in
            let original = Migration(version: 1, name: "t", sql: "CREATE TABLE t (x int);")
            try await Migrator(client: client, migrations: [original]).migrate()
            let edited = Migration(version: 1, name: "t", sql: "CREATE TABLE t (x bigint);")
            await #expect(throws: MigrationError.modifiedAfterApplying(version: 1, name: "t")) {
                try await Migrator(client: client, migrations: [edited]).migrate()
            }
        }
    }

    @Test func aFailingMigrationRollsBackCompletely() async throws {
        try await withEmptyDatabase { client, _ in
            let bad = Migration(version: 1, name: "bad", sql: "CREATE TABLE half (x int); SELECT no_such_function();")
            await #expect(throws: MigrationError.self) { try await Migrator(client: client, migrations: [bad]).migrate() }
            let rows = try await client.query("SELECT count(*) FROM pg_tables WHERE tablename = 'half'")
            #expect(try await rows.decode(Int.self).first { _ in true } == 0)
            #expect(try await Migrator(client: client, migrations: [bad]).appliedVersions().isEmpty)
        }
    }
}
