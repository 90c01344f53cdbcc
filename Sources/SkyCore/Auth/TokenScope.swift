/// What an API token may do. Scopes nest: `admin` includes `submit`, which includes `read`.
public enum TokenScope: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Every GET: jobs, logs, metrics, workers, queues, artifacts.
    case read
    /// Create, cancel and retry jobs; upload artifacts.
    case submit
    /// Pause and resume queues.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .submit: 1
        case .admin: 2
        }
    }

    public static func < (lhs: TokenScope, rhs: TokenScope) -> Bool { lhs.rank < rhs.rank }

    /// True when a token holding `scopes` may do what needs `self`.
    public func isGranted(by scopes: Set<TokenScope>) -> Bool {
        scopes.contains { $0 >= self }
    }
}
