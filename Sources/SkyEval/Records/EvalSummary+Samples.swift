extension EvalSummary {
    /// Computes the summary of `samples` on `benchmark`: every problem must have exactly `configuration.n` samples
    /// with indices 0..<n, and every sample must belong to a problem of the benchmark.
    public init(benchmark: Benchmark, samples: [EvalSample], configuration: EvalConfiguration) throws(EvalSummaryError) {
        let n = configuration.n
        guard n >= 1 else { throw .invalidSampleCount(n) }
        var grid: [String: [Bool?]] = [:]
        for problem in benchmark.problems { grid[problem.id] = Array(repeating: nil, count: n) }
        for sample in samples {
            guard grid[sample.problemId] != nil else { throw .unknownProblem(sample.problemId) }
            guard (0..<n).contains(sample.sampleIndex) else { throw .sampleIndexOutOfRange(sample.problemId, sample.sampleIndex, n: n) }
            guard grid[sample.problemId]![sample.sampleIndex] == nil else { throw .duplicateSample(sample.problemId, sample.sampleIndex) }
            grid[sample.problemId]![sample.sampleIndex] = sample.correct
        }
        var correct: [[Bool]] = []
        for problem in benchmark.problems {
            let row = grid[problem.id]!
            guard row.allSatisfy({ $0 != nil }) else {
                throw .missingSamples(problem.id, have: row.count { $0 != nil }, n: n)
            }
            correct.append(row.map { $0! })
        }
        let accuracy = EvalMetrics.accuracy(correct)
        self.init(
            benchmark: benchmark.name, benchmarkSHA256: benchmark.sha256, problemCount: benchmark.problems.count, n: n,
            accuracy: accuracy.value, standardError: accuracy.standardError,
            passAtK: Dictionary(uniqueKeysWithValues: EvalMetrics.ks(n: n).map { ($0, EvalMetrics.passAtK(correct, k: $0)) }),
            avgOutputTokens: EvalMetrics.mean(samples.map { Double($0.outputTokens) }),
            avgReflectionKeywords: EvalMetrics.mean(samples.map { Double(ReflectionKeywords.count(in: $0.output)) }),
            byLevel: EvalMetrics.byLevel(levels: benchmark.problems.map(\.level), correct: correct),
            configuration: configuration, configHash: configuration.configHash)
    }
}
