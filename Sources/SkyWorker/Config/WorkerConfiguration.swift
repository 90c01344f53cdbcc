public import Foundation
public import SkyCore

/// How one worker behaves: what it serves, how many jobs at once, and its timing.
public struct WorkerConfiguration: Sendable {
    /// Unique id, also shown in `workers` and `job_events`.
    public var id: String
    /// Queues to claim from.
    public var queues: [String]
    /// Jobs run at once.
    public var slots: Int
    /// Backend, memory and labels offered to jobs' requirements.
    public var capabilities: WorkerCapabilities
    /// How long a claim is valid without a heartbeat; a crashed worker's jobs are re-run after this.
    public var lease: Duration
    /// How often leases are extended; well under `lease`.
    public var heartbeatInterval: Duration
    /// Claim even without a NOTIFY this often (delayed retries, missed notifications).
    public var pollInterval: Duration
    /// Most jobs claimed in one statement.
    public var claimBatchSize: Int
    /// How often buffered logs, metrics and progress are written.
    public var telemetryInterval: Duration
    /// On shutdown, how long running jobs may finish before they are handed back.
    public var shutdownGrace: Duration
    /// How often expired leases that cannot be re-run are cleaned up.
    public var maintenanceInterval: Duration
    /// Finished jobs older than this are pruned; nil keeps everything.
    public var retention: Duration?
    /// Where per-run scratch directories are made.
    public var scratchDirectory: URL
    /// Delay before retrying a failed attempt.
    public var retryPolicy: any RetryPolicy

    /// A configuration with production defaults; `id` defaults to host-pid-random.
    public init(
        id: String? = nil, queues: [String] = ["default"], slots: Int = 1, capabilities: WorkerCapabilities = WorkerCapabilities(),
        lease: Duration = .seconds(60), heartbeatInterval: Duration? = nil, pollInterval: Duration = .seconds(2),
        claimBatchSize: Int = 100, telemetryInterval: Duration = .milliseconds(250), shutdownGrace: Duration = .seconds(30),
        maintenanceInterval: Duration = .seconds(30), retention: Duration? = nil,
        scratchDirectory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("sky-scratch"),
        retryPolicy: any RetryPolicy = ExponentialBackoff()
    ) {
        let host = ProcessInfo.processInfo.hostName
        self.id = id ?? "\(host)-\(ProcessInfo.processInfo.processIdentifier)-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        self.queues = queues
        self.slots = slots
        self.capabilities = capabilities
        self.lease = lease
        self.heartbeatInterval = heartbeatInterval ?? lease / 3
        self.pollInterval = pollInterval
        self.claimBatchSize = claimBatchSize
        self.telemetryInterval = telemetryInterval
        self.shutdownGrace = shutdownGrace
        self.maintenanceInterval = maintenanceInterval
        self.retention = retention
        self.scratchDirectory = scratchDirectory
        self.retryPolicy = retryPolicy
    }

    /// Problems with the values, so a bad pool file fails at start with a clear message.
    public func validate() -> [String] {
        var problems: [String] = []
        if queues.isEmpty { problems.append("queues: at least one queue is needed") }
        if slots < 1 { problems.append("slots: must be at least 1") }
        if claimBatchSize < 1 { problems.append("claimBatchSize: must be at least 1") }
        if heartbeatInterval >= lease { problems.append("heartbeat interval must be shorter than the lease") }
        if lease < .milliseconds(200) { problems.append("lease: must be at least 0.2 s") }
        return problems
    }
}
