import ArgumentParser
import Foundation
import SkyCore
import SkyStore

/// `skyd token create|list|revoke`: API tokens, managed on the database directly (so an operator can
/// always get in, even with no token at hand).
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a token and print it (shown once).")
        @OptionGroup var options: CommonOptions
        @Option(name: .long, help: "A name that says who or what uses it.") var name: String
        @Option(name: .long, help: "Comma-separated scopes: read, submit, admin (admin includes submit, submit includes read).")
        var scope = "read"
        @Option(name: .long, help: "Lifetime, e.g. 90d, 12h, 30m; default: no expiry.") var expiresIn: String?

        func run() async throws {
            let scopes = try Set(scope.split(separator: ",").map { part in
                guard let scope = TokenScope(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--scope: '\(part)' is not one of read, submit, admin")
                }
                return scope
            })
            let expiry = try expiresIn.map { Date().addingTimeInterval(try Self.seconds($0)) }
            let logger = try options.makeLogger("sky.token")
            let database = try options.openDatabase(logger: logger)
            defer { try? database.close() }
            let (record, secret) = try await database.withClient { client in
                try await Migrator(client: client, logger: logger).migrate()
                return try await TokenStore(client: client, logger: logger).create(name: name, scopes: scopes, expiresAt: expiry)
            }
            FileHandle.standardError.write(Data("created token \(record.id) '\(record.name)' with scopes \(record.scopes.sorted().map(\.rawValue).joined(separator: ","))\n".utf8))
            print(secret)
        }

        static func seconds(_ text: String) throws -> TimeInterval {
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
            guard let unit = text.last.flatMap({ units[$0] }), let value = Double(text.dropLast()), value > 0 else {
                throw ValidationError("--expires-in: '\(text)' is not a duration like 90d, 12h or 30m")
            }
            return value * unit
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")
        @OptionGroup var options: CommonOptions

        func run() async throws {
            let logger = try options.makeLogger("sky.token")
            let database = try options.openDatabase(logger: logger)
            defer { try? database.close() }
            let records = try await database.withClient { client in
                try await Migrator(client: client, logger: logger).migrate()
                return try await TokenStore(client: client, logger: logger).list()
            }
            let style = Date.ISO8601FormatStyle()
            func row(_ cells: [String]) -> String {
                zip(cells, [6, 20, 15, 20, 22, 0]).map { cell, width in
                    width == 0 ? cell : cell.padding(toLength: max(width, cell.count + 1), withPad: " ", startingAt: 0)
                }.joined()
            }
            print(row(["ID", "NAME", "PREFIX", "SCOPES", "CREATED", "STATUS"]))
            for record in records {
                let status = record.revokedAt != nil ? "revoked" : (record.isActive() ? "active" : "expired")
                let scopes = record.scopes.sorted().map(\.rawValue).joined(separator: ",")
                print(row([String(record.id), record.name, record.prefix + "…", scopes, record.createdAt.formatted(style), status]))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke tokens by id, name or prefix.")
        @OptionGroup var options: CommonOptions
        @Argument(help: "Token ids, names or prefixes.") var tokens: [String]

        func run() async throws {
            let logger = try options.makeLogger("sky.token")
            let database = try options.openDatabase(logger: logger)
            defer { try? database.close() }
            try await database.withClient { client in
                let store = TokenStore(client: client, logger: logger)
                for selector in tokens {
                    for record in try await store.revoke(selector) { print("revoked token \(record.id) '\(record.name)'") }
                }
            }
        }
    }
}
