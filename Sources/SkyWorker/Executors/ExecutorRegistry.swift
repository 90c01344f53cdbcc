public import SkyCore

/// The executors a worker can run, by kind; the worker claims only kinds it has executors for.
public struct ExecutorRegistry: Sendable {
    private var executors: [JobKind: any JobExecutor] = [:]

    /// An empty registry.
    public init() {}

    /// A registry holding `executors`.
    public init(_ executors: [any JobExecutor]) {
        for executor in executors { register(executor) }
    }

    /// Adds (or replaces) the executor for its kind.
    public mutating func register(_ executor: any JobExecutor) {
        executors[executor.kind] = executor
    }

    /// The executor for `kind`, if any.
    public func executor(for kind: JobKind) -> (any JobExecutor)? {
        executors[kind]
    }

    /// Kinds with an executor, in a stable order.
    public var kinds: [JobKind] {
        JobKind.allCases.filter { executors[$0] != nil }
    }
}
