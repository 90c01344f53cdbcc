public import Foundation
import SkyCore

/// The table of `skyctl artifacts list`.
public enum ArtifactTable {
    /// One row per artifact.
    public static func render(_ artifacts: [Artifact], now: Date) -> String {
        var table = TextTable(headers: ["ID", "KIND", "NAME", "SIZE", "SHA256", "PRODUCED BY", "CREATED"], rightAligned: [0, 3])
        for artifact in artifacts {
            table.append([
                String(artifact.id), artifact.kind.rawValue, artifact.name, byteCount(artifact.sizeBytes),
                String(artifact.sha256.prefix(12)), artifact.producedBy.map { "job \($0.jobId) #\($0.attempt)" } ?? "upload",
                TimeText.relative(artifact.createdAt, now: now),
            ])
        }
        return table.render()
    }

    /// `512 B`, `1.5 KiB`, `200.0 MiB`, `4.0 GiB`.
    public static func byteCount(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f", value) + " " + units[unit]
    }
}
