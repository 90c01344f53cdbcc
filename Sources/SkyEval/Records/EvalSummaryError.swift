/// Why samples could not be summarised: which problem and sample were wrong.
public enum EvalSummaryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// n must be at least 1.
    case invalidSampleCount(Int)
    /// A sample names a problem the benchmark does not have.
    case unknownProblem(String)
    /// A sample index outside 0..<n.
    case sampleIndexOutOfRange(String, Int, n: Int)
    /// Two samples with the same problem and index.
    case duplicateSample(String, Int)
    /// A problem with fewer than n samples.
    case missingSamples(String, have: Int, n: Int)

    /// A message naming the problem and sample.
    public var description: String {
        switch self {
        case .invalidSampleCount(let n): "n must be at least 1, got \(n)"
        case .unknownProblem(let id): "sample for problem '\(id)', which is not in the benchmark"
        case .sampleIndexOutOfRange(let id, let index, let n): "problem '\(id)': sample index \(index) outside 0..<\(n)"
        case .duplicateSample(let id, let index): "problem '\(id)': sample \(index) given twice"
        case .missingSamples(let id, let have, let n): "problem '\(id)': \(have) of \(n) samples"
        }
    }
}
