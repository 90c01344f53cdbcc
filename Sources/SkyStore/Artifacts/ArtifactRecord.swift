public import Foundation
public import SkyCore

/// A stored artifact's description; its bytes are read through the store.
public struct ArtifactRecord: Sendable, Hashable {
    public var id: Int64
    public var kind: ArtifactKind
    public var name: String
    public var mediaType: String
    public var sizeBytes: Int64
    /// Lower-case hex SHA-256 of the bytes.
    public var sha256: String
    public var metadata: JSONValue
    /// The job run that produced it, if a job did.
    public var producedBy: JobToken?
    public var createdAt: Date
}

/// Describes an artifact about to be written.
public struct NewArtifact: Sendable, Hashable {
    public var kind: ArtifactKind
    public var name: String
    public var mediaType: String
    public var metadata: JSONValue
    /// The job run producing it; the write is fenced by this token.
    public var producedBy: JobToken?

    /// Creates a description.
    public init(kind: ArtifactKind, name: String, mediaType: String = "application/octet-stream", metadata: JSONValue = .object([:]), producedBy: JobToken? = nil) {
        self.kind = kind
        self.name = name
        self.mediaType = mediaType
        self.metadata = metadata
        self.producedBy = producedBy
    }
}

/// Why an artifact operation failed.
public enum ArtifactError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No ready artifact has this id.
    case notFound(Int64)
    /// The upload passed the size limit at this byte count; nothing was kept.
    case tooLarge(limit: Int64)
    /// The producing run no longer holds its job (lease lost); nothing was kept.
    case notHeld(JobToken)
    /// The bytes read back do not match the recorded size or hash.
    case corrupted(id: Int64, reason: String)

    public var description: String {
        switch self {
        case .notFound(let id): "artifact \(id) does not exist"
        case .tooLarge(let limit): "artifact is larger than the limit of \(limit) bytes"
        case .notHeld(let token): "\(token) no longer holds its job; its artifact was discarded"
        case .corrupted(let id, let reason): "artifact \(id) is corrupted: \(reason)"
        }
    }
}
