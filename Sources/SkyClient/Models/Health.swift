/// The answer of /healthz.
public struct Health: Codable, Sendable, Hashable {
    public var status: String
    public var version: String
}

/// The answer of /readyz.
public struct Readiness: Codable, Sendable, Hashable {
    public var status: String
    public var schemaVersion: Int
}
