/// What a benchmark's problems are graded by: a math answer or code run against tests.
public enum BenchmarkKind: String, Sendable, Codable, CaseIterable {
    case math, code
}
