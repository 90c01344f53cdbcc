/// Why the embedded PostgreSQL could not be set up, started or stopped.
public struct EmbeddedPostgresError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the path or command involved and what to do about it.
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
