import Foundation
import SkyCore

extension JobFilter {
    /// The query items of GET /v1/jobs.
    var queryItems: [(String, String?)] {
        let time = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return [
            ("state", states.map { $0.map(\.rawValue).joined(separator: ",") }), ("kind", kind?.rawValue), ("queue", queue),
            ("experiment", experiment), ("tag", tag), ("createdAfter", createdAfter?.formatted(time)),
            ("createdBefore", createdBefore?.formatted(time)),
        ]
    }
}
