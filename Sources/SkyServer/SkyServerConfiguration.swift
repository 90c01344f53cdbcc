/// How the API server behaves; every limit here is a documented default a flag can change.
public struct SkyServerConfiguration: Sendable {
    /// Address to bind (loopback by default: expose deliberately).
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// Largest JSON body (submissions, batches) in bytes.
    public var maxJSONBytes: Int
    /// Largest artifact upload in bytes.
    public var maxArtifactBytes: Int64
    /// How long a verified token is trusted before it is checked again (a revocation takes at most this long).
    public var tokenCacheSeconds: Double
    /// How long a request waits for the database before answering 503.
    public var databaseTimeoutSeconds: Double
    /// Seconds between checks for new lines when following logs.
    public var logPollSeconds: Double
    /// A connection that has not sent a whole request head this long after it opened, or after its last response
    /// ended, is closed: a client dribbling header bytes (slowloris) or holding a socket idle cannot keep it. A
    /// response being written (a log follow over SSE, a download) is never cut by it.
    public var requestHeadSeconds: Double
    /// Most connections open at once; past it the server stops accepting until one closes (new ones wait in the
    /// listen backlog), so open sockets cannot exhaust its file descriptors.
    public var maxConnections: Int
    /// Largest request head (request line and all header fields), in bytes.
    public var maxHeaderBytes: Int

    /// The defaults.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxJSONBytes: Int = 16 << 20, maxArtifactBytes: Int64 = 4 << 30,
        tokenCacheSeconds: Double = 5, databaseTimeoutSeconds: Double = 10, logPollSeconds: Double = 0.5,
        requestHeadSeconds: Double = 30, maxConnections: Int = 1000, maxHeaderBytes: Int = 64 << 10
    ) {
        self.host = host
        self.port = port
        self.maxJSONBytes = maxJSONBytes
        self.maxArtifactBytes = maxArtifactBytes
        self.tokenCacheSeconds = tokenCacheSeconds
        self.databaseTimeoutSeconds = databaseTimeoutSeconds
        self.logPollSeconds = logPollSeconds
        self.requestHeadSeconds = requestHeadSeconds
        self.maxConnections = maxConnections
        self.maxHeaderBytes = maxHeaderBytes
    }
}
