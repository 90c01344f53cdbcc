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
/// traverse every parent of the data directory. A detached watchdog stops the server if the owning process dies
/// without stopping it, so `kill -9 skyd` does not leave a server behind.
///
/// One process at a time owns the cluster, by an exclusive lock on `<dataDirectory>/owner.lock` that its watchdog
/// shares (see ``DataDirectoryLock``). An `.exclusive` start waits for a previous owner (a skyd still shutting down,
/// or a killed one whose watchdog is stopping its server) and fails with its name if it does not let go in time;
/// a `.shared` start (short commands such as `skyd token`) uses a live owner's server as a guest and never stops
/// it. Only the owner adopts a server left running with no owner and removes a stale `postmaster.pid`.
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
        /// What to do when another live process owns the cluster.
        public var ownership: Ownership = .exclusive
        /// How long an `.exclusive` start waits for the previous owner to let go.
        public var ownerWait: Duration = .seconds(90)

        /// Options for a cluster in `dataDirectory`.
        public init(dataDirectory: URL) {
            self.dataDirectory = dataDirectory
        }
    }

    /// How a start treats a cluster that another live process owns.
    public enum Ownership: Sendable {
        /// Wait for the owner to let go, then own the cluster (start it, later stop it): for `skyd serve`.
        case exclusive
        /// Use the owner's running server without owning it (`stop` leaves it running); own it when no one does.
        case shared
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
    private var lockFile: URL { options.dataDirectory.appendingPathComponent("owner.lock") }

    /// The socket file clients connect to (the owner's port when this process is its guest).
    public var socketPath: String { socketDirectory.appendingPathComponent(".s.PGSQL.\(state.guestOf?.port ?? options.port)").path }

    /// Whether this process uses another process's server rather than owning it.
    public var isGuest: Bool { state.guestOf != nil }

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

    /// Takes ownership of the cluster (see ``Ownership``), creates it on first use, then starts it or adopts a
    /// server that was left running with no owner; or, as a `.shared` guest, waits until the owner's server runs.
    public func start() throws {
        try prepareDirectories()
        if let holder = try takeOwnership() {
            try waitForOwnersServer(holder)
            return
        }
        do {
            if !FileManager.default.fileExists(atPath: pgdata.appendingPathComponent("PG_VERSION").path) {
                try initdb()
            }
            if let pid = runningPostmasterPID() {
                logger.info("adopting PostgreSQL left running on \(pgdata.path) by an owner that is gone (pid \(pid))")
            } else {
                try removeStaleLockFiles()
                try startServer()
            }
            try ensureDatabase()
        } catch {
            state.takeLock()?.release()
            throw error
        }
        startWatchdog()
    }

    /// Stops the server (fast shutdown: open transactions roll back) and the watchdog, and lets go of the cluster;
    /// a guest only forgets the owner, whose server keeps running.
    public func stop() throws {
        if state.leaveGuest() { return }
        guard let lock = state.takeLock() else { return }
        defer { lock.release() }
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

    /// Starts the server again when this process owns the cluster and its postmaster is gone (killed by an operator or
    /// the OOM killer, or stopped with `pg_ctl stop -m immediate`); true when it did. The clients' pools reconnect on their
    /// own. After SIGKILL a few backends may still hold the old shared memory for a moment, so a failed start throws
    /// and the caller tries again (``superviseRestarts(interval:)``).
    @discardableResult
    public func restartIfDown() throws -> Bool {
        guard state.currentLock != nil, !isGuest, runningPostmasterPID() == nil else { return false }
        logger.error("PostgreSQL on \(pgdata.path) is not running; starting it again")
        if let watchdog = state.takeWatchdog() { kill(watchdog, SIGTERM) }
        try removeStaleLockFiles()
        try startServer()
        try ensureDatabase()
        startWatchdog()
        logger.notice("PostgreSQL on \(pgdata.path) is back (postmaster \(runningPostmasterPID().map(String.init) ?? "?"))")
        return true
    }

    /// Checks every `interval` that the server this process owns is running and starts it again when it is not, until
    /// the task is cancelled; a start that fails is retried after a back-off of up to 10 s.
    public func superviseRestarts(interval: Duration = .seconds(1)) async {
        var backoff = interval
        while !Task.isCancelled {
            do {
                try restartIfDown()
                backoff = interval
            } catch {
                logger.error("PostgreSQL did not start again (retrying in \(backoff)): \(error)")
                backoff = min(backoff * 2, .seconds(10))
            }
            try? await Task.sleep(for: backoff)
        }
    }

    /// Lets go of the cluster and ends the watchdog but leaves the server running: what SIGKILL of both the owner and
    /// its watchdog leaves behind, for tests of adoption.
    func abandonForTesting() {
        if let watchdog = state.takeWatchdog() { kill(watchdog, SIGKILL) }
        state.takeLock()?.release()
    }

    /// Owns the cluster and returns nil, or returns the live owner this process will be a guest of.
    private func takeOwnership() throws -> DataDirectoryLock.Holder? {
        if state.currentLock != nil { return nil }
        let clock = ContinuousClock()
        let deadline = clock.now + options.ownerWait
        var announced: pid_t?
        while true {
            switch try DataDirectoryLock.tryAcquire(at: lockFile, port: options.port) {
            case .acquired(let lock):
                state.setLock(lock)
                return nil
            case .held(let holder):
                if options.ownership == .shared, let holder {
                    logger.info("using the PostgreSQL of the Sky process that owns \(options.dataDirectory.path) (\(holder))")
                    return holder
                }
                if clock.now >= deadline {
                    throw EmbeddedPostgresError(
                        "\(options.dataDirectory.path) is in use by another Sky process (\(holder.map { "\($0)" } ?? "its name not yet written")), "
                            + "which runs its PostgreSQL and did not let go within \(options.ownerWait). Stop it first, choose another "
                            + "--data-dir, or connect to its database with --database-url.")
                }
                if let holder, announced != holder.pid {
                    logger.notice("waiting for the Sky process that owns \(options.dataDirectory.path) (\(holder)) to let go of it")
                    announced = holder.pid
                }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Becomes `holder`'s guest once its server accepts connections (it may still be starting).
    private func waitForOwnersServer(_ holder: DataDirectoryLock.Holder) throws {
        state.setGuest(of: holder)
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if runningPostmasterPID() != nil, FileManager.default.fileExists(atPath: socketPath) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        state.leaveGuest()
        throw EmbeddedPostgresError(
            "the Sky process that owns \(options.dataDirectory.path) (\(holder)) has no PostgreSQL running on \(socketPath); "
                + "wait for it to finish starting, or stop it and try again")
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
        // fd 3 is the ownership lock, so a new owner waits until this shell has stopped the server; `sleep`
        // does not need it, and closing it there keeps a killed watchdog's last sleep from holding the lock.
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1 3>&-; done
            if [ "$(head -n 1 '\(pgdata.path)/postmaster.pid' 2>/dev/null)" = "\(postmaster)" ]; then \(stopCommand) >/dev/null 2>&1; fi
            """
        guard let lock = state.currentLock else { return }
        if let pid = try? Subprocess.launchDetached(["/usr/bin/setsid", "/bin/sh", "-c", script], passing: lock.descriptor) {
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

/// The watchdog's pid, the ownership lock and the owner a guest uses, guarded so `stop` may be called from any thread.
private final class LockedState: @unchecked Sendable {
    private let lock = NSLock()
    private var watchdog: pid_t?
    private var ownership: DataDirectoryLock?
    private var owner: DataDirectoryLock.Holder?

    var currentLock: DataDirectoryLock? { lock.withLock { ownership } }
    var guestOf: DataDirectoryLock.Holder? { lock.withLock { owner } }
    func setLock(_ value: DataDirectoryLock) { lock.withLock { ownership = value } }
    func takeLock() -> DataDirectoryLock? {
        lock.withLock {
            defer { ownership = nil }
            return ownership
        }
    }
    func setGuest(of holder: DataDirectoryLock.Holder) { lock.withLock { owner = holder } }
    /// Forgets the owner; whether this process was a guest.
    @discardableResult func leaveGuest() -> Bool {
        lock.withLock {
            defer { owner = nil }
            return owner != nil
        }
    }

    func setWatchdog(_ pid: pid_t) { lock.withLock { watchdog = pid } }
    func takeWatchdog() -> pid_t? {
        lock.withLock {
            defer { watchdog = nil }
            return watchdog
        }
    }
}
