public import SkyCore

/// SHA-256 for SkyData's lineage and manifests: SkyCore's, which SkyModel and SkyEval share. The type there is not
/// called `SHA256` because files that import both SkyCore and swift-crypto would then see two.
public typealias SHA256 = SHA256Hasher
