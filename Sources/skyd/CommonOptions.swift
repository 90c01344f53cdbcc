import ArgumentParser
import Foundation
import Logging
import SkyStore

/// Where the database is and how much to log; shared by every skyd command.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "PostgreSQL URL (also SKY_DATABASE_URL). Without one, Sky runs its own embedded PostgreSQL.")
    var databaseURL: String?

    @Option(name: .long, help: "Sky's data directory for the embedded PostgreSQL (also SKY_DATA_DIR; default /var/lib/sky as root, ~/.local/share/sky otherwise).")
    var dataDir: String?

    @Option(name: .long, help: "Port of the embedded PostgreSQL (names its socket; also TCP with --postgres-listen-loopback).")
    var postgresPort = 5432

    @Flag(name: .long, help: "Let the embedded PostgreSQL also listen on 127.0.0.1:<port>, for tools that need TCP.")
    var postgresListenLoopback = false

    @Option(name: .customLong("postgres-setting"), help: ArgumentHelp(
        "A setting of the embedded PostgreSQL, NAME=VALUE (repeatable; the last wins), e.g. listen_addresses, ssl, ssl_cert_file, hba_file: how a fleet reaches it (README, \"A fleet\").",
        valueName: "name=value"))
    var postgresSettings: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// Sets up logging to stderr at the chosen level and returns a logger.
    func makeLogger(_ label: String) throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level: '\(logLevel)' is not one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }

    /// Opens the database named by the options, starting the embedded one if needed. `skyd serve` owns it
    /// (`.exclusive`); other commands use the server of a skyd already running on the data directory (`.shared`).
    func openDatabase(ownership: EmbeddedPostgres.Ownership = .shared, logger: Logger) throws -> SkyDatabase {
        try SkyDatabase.open(
            url: databaseURL, dataDirectory: dataDir.map { URL(fileURLWithPath: $0) }, port: postgresPort,
            listenOnLoopback: postgresListenLoopback, settings: try embeddedSettings(), ownership: ownership, logger: logger)
    }

    /// `--postgres-setting` as a dictionary; a value may itself contain `=` (a connection string, a path).
    func embeddedSettings() throws -> [String: String] {
        var settings: [String: String] = [:]
        for text in postgresSettings {
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
                throw ValidationError("--postgres-setting: '\(text)' is not NAME=VALUE")
            }
            settings[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return settings
    }

    /// The data directory in use (for scratch space).
    var dataDirectory: URL {
        dataDir.map { URL(fileURLWithPath: $0) } ?? SkyDatabase.defaultDataDirectory()
    }
}
