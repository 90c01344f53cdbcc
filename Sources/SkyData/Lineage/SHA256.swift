public import Foundation
import SkyCore

/// SHA-256 for SkyData's lineage and manifests; the algorithm lives in SkyCore (`SHA256Hasher`) so SkyEval shares it.
public struct SHA256: Sendable {
    private var hasher = SHA256Hasher()

    /// Starts an empty hash.
    public init() {}

    /// Hashes `bytes` in one call and returns lowercase hex.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String { SHA256Hasher.hex(bytes) }

    /// Hashes a whole file, reading 1 MiB at a time.
    public static func hex(fileAt url: URL) throws -> String { try SHA256Hasher.hex(fileAt: url) }

    /// Adds bytes.
    public mutating func update(_ bytes: [UInt8]) { hasher.update(bytes) }

    /// Adds bytes without copying them.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bytes) }

    /// The digest as 32 bytes.
    public mutating func finalize() -> [UInt8] { hasher.finalize() }

    /// The digest as 64 lowercase hex characters.
    public mutating func finalizeHex() -> String { hasher.finalizeHex() }
}
