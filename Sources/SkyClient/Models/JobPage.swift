/// One page of a job listing; pass `nextCursor` back for the next.
public struct JobPage: Codable, Sendable, Hashable {
    public var jobs: [Job]
    public var nextCursor: String?
}
