/// What a machine must offer to run a job. Empty means any worker.
public struct JobRequirements: Sendable, Hashable, Codable {
    /// Compute backend the job needs (`ComputeBackend`: "blas", "cuda"), or nil for any.
    public var backend: String?
    /// Minimum memory, in MiB, the worker must declare.
    public var minMemoryMB: Int?
    /// Labels the worker must carry, all of them (e.g. "h100", "big-disk").
    public var labels: [String]

    /// Creates requirements; the defaults accept any worker.
    public init(backend: String? = nil, minMemoryMB: Int? = nil, labels: [String] = []) {
        self.backend = backend.map(ComputeBackend.canonical)
        self.minMemoryMB = minMemoryMB
        self.labels = labels
    }

    private enum CodingKeys: String, CodingKey { case backend, minMemoryMB, labels }

    /// Decodes with every field optional.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        backend = try c.decodeIfPresent(String.self, forKey: .backend).map(ComputeBackend.canonical)
        minMemoryMB = try c.decodeIfPresent(Int.self, forKey: .minMemoryMB)
        labels = try c.decodeIfPresent([String].self, forKey: .labels) ?? []
    }

    /// Problems with the values, located under `/requirements`.
    public func validate() -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if let backend, ComputeBackend(named: backend) == nil {
            issues.append(SpecIssue("/requirements/backend", "unknown backend '\(backend)'; expected one of \(ComputeBackend.names)"))
        }
        if let minMemoryMB, minMemoryMB < 0 {
            issues.append(SpecIssue("/requirements/minMemoryMB", "must not be negative"))
        }
        for (index, label) in labels.enumerated() where label.isEmpty {
            issues.append(SpecIssue("/requirements/labels/\(index)", "must not be empty"))
        }
        return issues
    }

    /// Whether a worker with `capabilities` can run the job. The claim query applies the same rule in SQL.
    public func isSatisfied(by capabilities: WorkerCapabilities) -> Bool {
        if let backend, backend != capabilities.backend { return false }
        if let minMemoryMB, minMemoryMB > capabilities.memoryMB { return false }
        return Set(labels).isSubset(of: capabilities.labels)
    }
}

/// What a worker offers: its backend, memory and labels.
public struct WorkerCapabilities: Sendable, Hashable, Codable {
    /// The worker's compute backend.
    public var backend: String
    /// Memory the worker may use, in MiB.
    public var memoryMB: Int
    /// Free-form labels jobs can require.
    public var labels: [String]

    /// Creates capabilities.
    public init(backend: String = ComputeBackend.blas.rawValue, memoryMB: Int = 0, labels: [String] = []) {
        self.backend = ComputeBackend.canonical(backend)
        self.memoryMB = memoryMB
        self.labels = labels
    }
}
