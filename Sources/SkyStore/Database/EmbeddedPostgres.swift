public import Foundation
import Logging
public import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL cluster under Sky's data directory, run with the system's PostgreSQL binaries.
///
/// Layout: `<dataDirectory>/postgres` (PGDATA), `<dataDirectory>/run` (the Unix socket), and
/// `<dataDirectory>/postgres.log`. As root the server runs as the `postgres` user, which must be able to
/// traverse every parent of the data directory. A server left running by a killed owner is adopted; a stale
/// `postmaster.pid` is removed. A detached watchdog stops the server if the owning process dies without
/// stopping it, so `kill -9 skyd` does not leave a server behind.
public final class EmbeddedPostgres: Sendable {
    /// How to lay out and run the cluster.
    public struct Options: Sendable {
        /// Sky's data directory; the cluster lives in its `postgres` subdirectory.
        public var dataDirectory: URL
        /// The port number, which also names the socket file (`.s.PGSQL.<port>`).
        public var port: Int = 5432
        /// Also listen on 127.0.0.1:`port`, for tools that cannot use a Unix socket.
        public var listenOnLoopback = false
        /// When false, fsync and synchronous commit are off: for throwaway test clusters only.
        public var durable = true
        /// Extra `postgres -c name=value` settings.
        public var settings: [String: String] = [:]

        /// Options for a cluster in `dataDirectory`.
        public init(dataDirectory: URL) {
            self.dataDirectory = dataDirectory
        }
    }

    /// The role and database Sky creates in the cluster.
    public static let username = "sky"
    /// The database Sky uses.
    public static let database = "sky"

    /// The options this cluster was created with.
    public let options: Options
    /// Directory holding the Unix socket.
    public let socketDirectory: URL
    private let binDirectory: URL
    private let runAsUser: String?
    private let logger: Logger
    private let state = LockedState()

    private var pgdata: URL { options.dataDirectory.appendingPathComponent("postgres") }
    private var logFile: URL { options.dataDirectory.appendingPathComponent("postgres.log") }

    /// The socket file clients connect to.
    public var socketPath: String { socketDirectory.appendingPathComponent(".s.PGSQL.\(options.port)").path }

    /// Prepares to manage the cluster in `options.dataDirectory`; nothing is started yet.
    public init(options: Options, logger: Logger = Logger(label: "sky.postgres")) throws {
        self.options = options
        self.logger = logger
        self.binDirectory = try Self.findBinDirectory()
        self.runAsUser = getuid() == 0 ? "postgres" : nil
        // Unix socket paths are limited to 107 bytes; fall back to a short private directory in /tmp.
        let preferred = options.dataDirectory.appendingPathComponent("run")
        if preferred.path.utf8.count + 20 < 100 {
            socketDirectory = preferred
        } else {
            socketDirectory = URL(fileURLWithPath: "/tmp/sky-\(Self.shortHash(options.dataDirectory.path))")
        }
    }

    /// A client configuration for `database` over the Unix socket.
    public func clientConfiguration(database: String = EmbeddedPostgres.database) -> PostgresClient.Configuration {
        PostgresClient.Configuration(unixSocketPath: socketPath, username: Self.username, password: nil, database: database)
    }

    /// Creates the cluster on first use, then starts it, or adopts a server already running on it.
    public func start() throws {
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: pgdata.appendingPathComponent("PG_VERSION").path) {
            try initdb()
        }
        if let pid = runningPostmasterPID() {
            logger.info("adopting PostgreSQL already running on \(pgdata.path) (pid \(pid))")
        } else {
            try removeStaleLockFiles()
            try startServer()
        }
        try ensureDatabase()
        startWatchdog()
    }

    /// Stops the server (fast shutdown: open transactions roll back) and the watchdog.
    public func stop() throws {
        if let watchdog = state.takeWatchdog() { kill(watchdog, SIGTERM) }
        guard runningPostmasterPID() != nil else { return }
        let result = try Subprocess.run(
            [binDirectory.appendingPathComponent("pg_ctl").path, "-D", pgdata.path, "-m", "fast", "-w", "-t", "60", "stop"],
            asUser: runAsUser
        )
        if result.status != 0 {
            throw EmbeddedPostgresError("pg_ctl stop failed for \(pgdata.path): \(result.stderr)")
        }
        logger.info("stopped PostgreSQL on \(pgdata.path)")
    }

    private func prepareDirectories() throws {
        let fm = FileManager.default
        try fm.createDirectory(at: options.dataDirectory, withIntermediateDirectories: true)
        for directory in [pgdata, socketDirectory] where !fm.fileExists(atPath: directory.path) {
            try fm.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard let user = runAsUser else { return }
        guard let account = getpwnam(user) else {
            throw EmbeddedPostgresError("running as root needs the '\(user)' system user to own the database server; install the postgresql package (apt-get install postgresql)")
        }
        let uid = account.pointee.pw_uid
        let gid = account.pointee.pw_gid
        for path in [pgdata.path, socketDirectory.path] where chown(path, uid, gid) != 0 {
            throw EmbeddedPostgresError("cannot hand \(path) to the '\(user)' user: \(String(cString: strerror(errno)))")
        }
        if !fm.fileExists(atPath: logFile.path) { _ = fm.createFile(atPath: logFile.path, contents: nil) }
        _ = chown(logFile.path, uid, gid)
        let probe = try Subprocess.run(["/usr/bin/test", "-w", pgdata.path, "-a", "-w", socketDirectory.path], asUser: user)
        if probe.status != 0 {
            throw EmbeddedPostgresError(
                "PostgreSQL runs as the '\(user)' user when Sky runs as root, and that user cannot reach \(pgdata.path) "
                    + "(a parent directory such as /root is not traversable by others). "
                    + "Choose a data directory elsewhere with --data-dir or SKY_DATA_DIR, for example /var/lib/sky."
            )
        }
    }

    private func initdb() throws {
        logger.info("creating PostgreSQL cluster in \(pgdata.path)")
        let result = try Subprocess.run(
            [
                binDirectory.appendingPathComponent("initdb").path, "-D", pgdata.path, "-U", Self.username,
                "-A", "trust", "-E", "UTF8", "--locale=C", "--no-instructions",
            ] + (options.durable ? [] : ["--no-sync"]),
            asUser: runAsUser
        )
        if result.status != 0 {
            throw EmbeddedPostgresError("initdb failed for \(pgdata.path): \(result.stderr)\(result.stdout)")
        }
    }

    private func startServer() throws {
        var settings: [String: String] = [
            "listen_addresses": options.listenOnLoopback ? "127.0.0.1" : "",
            "unix_socket_directories": socketDirectory.path,
            "port": String(options.port),
            "max_connections": "200",
            "shared_buffers": "256MB",
            "logging_collector": "off",
        ]
        if !options.durable {
            settings["fsync"] = "off"
            settings["synchronous_commit"] = "off"
            settings["full_page_writes"] = "off"
        }
        settings.merge(options.settings) { _, new in new }
        // pg_ctl hands -o to a shell, so every value is single-quoted with embedded quotes escaped.
        let serverOptions = settings.keys.sorted().map { key in
            let value = settings[key]!.replacingOccurrences(of: "'", with: "'\\''")
            return "-c \(key)='\(value)'"
        }.joined(separator: " ")
        let result = try Subprocess.run(
            [
                binDirectory.appendingPathComponent("pg_ctl").path, "-D", pgdata.path, "-l", logFile.path,
                "-w", "-t", "60", "-o", serverOptions, "start",
            ],
            asUser: runAsUser
        )
        if result.status != 0 {
            throw EmbeddedPostgresError("PostgreSQL did not start on \(pgdata.path): \(result.stderr)\n\(logTail())")
        }
        logger.info("started PostgreSQL on \(socketPath)")
    }

    /// Creates the `sky` database on first start; `initdb` only makes `postgres` and the templates.
    private func ensureDatabase() throws {
        let psqlLike = binDirectory.appendingPathComponent("createdb").path
        let result = try Subprocess.run(
            [psqlLike, "-h", socketDirectory.path, "-p", String(options.port), "-U", Self.username, Self.database],
            asUser: runAsUser
        )
        if result.status != 0, !result.stderr.contains("already exists") {
            throw EmbeddedPostgresError("cannot create database '\(Self.database)': \(result.stderr)")
        }
    }

    /// The postmaster's pid when a live PostgreSQL server owns this cluster.
    func runningPostmasterPID() -> pid_t? {
        guard let contents = try? String(contentsOf: pgdata.appendingPathComponent("postmaster.pid"), encoding: .utf8),
            let first = contents.split(separator: "\n").first, let pid = pid_t(first.trimmingCharacters(in: .whitespaces))
        else { return nil }
        guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
        // A recycled pid may now belong to anything; only a postgres process counts.
        let cmdline = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let program = String(decoding: cmdline.prefix { $0 != 0 }, as: UTF8.self)
        return program.hasSuffix("postgres") || program.hasSuffix("postmaster") ? pid : nil
    }

    private func removeStaleLockFiles() throws {
        let fm = FileManager.default
        let pidFile = pgdata.appendingPathComponent("postmaster.pid")
        if fm.fileExists(atPath: pidFile.path) {
            logger.warning("removing stale \(pidFile.path) left by a server that is no longer running")
            try fm.removeItem(at: pidFile)
        }
        let socketLock = URL(fileURLWithPath: socketPath + ".lock")
        if fm.fileExists(atPath: socketLock.path) { try? fm.removeItem(at: socketLock) }
    }

    /// Starts a detached shell that stops the server once this process is gone, unless the server it guards
    /// has since been replaced by another owner's.
    private func startWatchdog() {
        guard let postmaster = runningPostmasterPID() else { return }
        let pgCtl = binDirectory.appendingPathComponent("pg_ctl").path
        let stopCommand = (runAsUser.map { "/usr/sbin/runuser -u \($0) -- " } ?? "") + "'\(pgCtl)' -D '\(pgdata.path)' -m fast stop"
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            if [ "$(head -n 1 '\(pgdata.path)/postmaster.pid' 2>/dev/null)" = "\(postmaster)" ]; then \(stopCommand) >/dev/null 2>&1; fi
            """
        if let pid = try? Subprocess.launchDetached(["/usr/bin/setsid", "/bin/sh", "-c", script]) {
            state.setWatchdog(pid)
        }
    }

    private func logTail() -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Finds PostgreSQL's server binaries: SKY_POSTGRES_BIN, then Debian's newest /usr/lib/postgresql/N/bin, then PATH.
    static func findBinDirectory() throws -> URL {
        let fm = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["SKY_POSTGRES_BIN"] {
            return URL(fileURLWithPath: explicit)
        }
        let debian = "/usr/lib/postgresql"
        let versions = ((try? fm.contentsOfDirectory(atPath: debian)) ?? []).compactMap(Int.init).sorted(by: >)
        for version in versions where fm.isExecutableFile(atPath: "\(debian)/\(version)/bin/initdb") {
            return URL(fileURLWithPath: "\(debian)/\(version)/bin")
        }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        where fm.isExecutableFile(atPath: "\(directory)/initdb") {
            return URL(fileURLWithPath: String(directory))
        }
        throw EmbeddedPostgresError("PostgreSQL server binaries (initdb, pg_ctl) not found; install them with 'apt-get install postgresql' or set SKY_POSTGRES_BIN")
    }

    static func shortHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(hash, radix: 16)
    }
}

/// The watchdog's pid, guarded so `stop` may be called from any thread.
private final class LockedState: @unchecked Sendable {
    private let lock = NSLock()
    private var watchdog: pid_t?

    func setWatchdog(_ pid: pid_t) { lock.withLock { watchdog = pid } }
    func takeWatchdog() -> pid_t? {
        lock.withLock {
            defer { watchdog = nil }
            return watchdog
        }
    }
}
