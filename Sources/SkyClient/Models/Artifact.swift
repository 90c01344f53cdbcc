public import Foundation
public import SkyCore

/// A stored artifact: an uploaded dataset or a job's output.
public struct Artifact: Codable, Sendable, Hashable, Identifiable {
    public var id: Int64
    public var kind: ArtifactKind
    public var name: String
    public var mediaType: String
    public var sizeBytes: Int64
    /// Lowercase hex SHA-256 of the content.
    public var sha256: String
    public var metadata: JSONValue
    /// The job attempt that produced it, if a job did.
    public var producedBy: Producer?
    public var createdAt: Date

    /// The job attempt an artifact came from.
    public struct Producer: Codable, Sendable, Hashable {
        public var jobId: Int64
        public var attempt: Int
    }
}
