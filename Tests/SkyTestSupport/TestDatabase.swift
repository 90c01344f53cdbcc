import Foundation
import Logging
public import PostgresNIO
public import SkyStore

/// A fresh migrated database for one test, with a running client and a queue over it.
public struct TestDatabase: Sendable {
    /// The database's name in the shared test cluster.
    public let name: String
    /// A running client connected to it.
    public let client: PostgresClient
    /// The queue over `client`.
    public let queue: JobQueue
    /// How to open more clients (a second "process") on the same database.
    public let configuration: PostgresClient.Configuration
}

/// Runs `body` against a fresh migrated database that is dropped afterwards.
@discardableResult
public func withTestDatabase<T: Sendable>(_ body: (TestDatabase) async throws -> T) async throws -> T {
    let name = try await TestPostgres.shared.makeDatabase()
    let configuration = try await TestPostgres.shared.cluster().clientConfiguration(database: name)
    do {
        let result = try await withRunningClient(PostgresClient(configuration: configuration)) { client in
            try await body(TestDatabase(name: name, client: client, queue: JobQueue(client: client), configuration: configuration))
        }
        await TestPostgres.shared.dropDatabase(name)
        return result
    } catch {
        await TestPostgres.shared.dropDatabase(name)
        throw error
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
public func eventually(timeout: Duration = .seconds(120), _ condition: () async throws -> Bool) async throws -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
