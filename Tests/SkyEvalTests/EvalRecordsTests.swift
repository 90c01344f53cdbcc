import Foundation
import SkyCore
import SkyEval
import Testing

@Suite struct EvalRecordsTests {
    let configuration = EvalConfiguration(modelSHA256: String(repeating: "a", count: 64), template: .skyT1, temperature: 0.7,
                                          topP: 0.95, maxNewTokens: 4_096, seed: 42, n: 2, dtype: "float32", backend: "blas", threads: 8,
                                          kernels: "OpenBLAS 0.3.21 Zen")

    let benchmark = Benchmark(name: "tiny", kind: .math, problems: [
        BenchmarkProblem(id: "a", problem: "1+1", answer: "2", level: "1"),
        BenchmarkProblem(id: "b", problem: "2+2", answer: "4", level: "2"),
    ], sha256: "f00d")

    func sample(_ id: String, _ index: Int, _ correct: Bool, output: String = "Wait. \\boxed{2}", tokens: Int = 10) -> EvalSample {
        EvalSample(problemId: id, sampleIndex: index, promptTokens: 5, output: output, extracted: "2", correct: correct,
                   reason: "boxed", outputTokens: tokens, finishReason: "stop")
    }

    @Test func summaryComputesEveryMetric() throws {
        let samples = [sample("a", 0, true, tokens: 10), sample("a", 1, true, output: "Hmm, but \\boxed{2}", tokens: 30),
                       sample("b", 1, false, tokens: 20), sample("b", 0, true, tokens: 40)]
        let summary = try EvalSummary(benchmark: benchmark, samples: samples, configuration: configuration)
        #expect(summary.accuracy == 0.75)
        // Per-problem accuracies 1 and 0.5: population variance 0.0625, SE = sqrt(0.0625 / 2).
        #expect(abs(summary.standardError - 0.1767766952966369) < 1e-15)
        #expect(summary.passAtK == [1: 0.75, 2: 1])
        #expect(summary.avgOutputTokens == 25)
        #expect(summary.avgReflectionKeywords == 1.25)
        #expect(summary.byLevel["2"] == Estimate(value: 0.5, standardError: 0, count: 1))
        #expect(summary.benchmarkSHA256 == "f00d")
        #expect(summary.configHash == configuration.configHash)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(summary), as: UTF8.self)
        #expect(json.contains(#""pass_at_k":{"1":0.75,"2":1}"#), "\(json)")
        #expect(json.contains(#""by_level":{"1":{"count":1,"standard_error":0,"value":1}"#), "\(json)")
        let decoded = try JSONDecoder().decode(EvalSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
    }

    @Test func summaryRejectsMissingUnknownAndDuplicateSamples() {
        #expect(throws: EvalSummaryError.missingSamples("b", have: 1, n: 2)) {
            try EvalSummary(benchmark: benchmark, samples: [sample("a", 0, true), sample("a", 1, true), sample("b", 0, true)],
                            configuration: configuration)
        }
        #expect(throws: EvalSummaryError.unknownProblem("z")) {
            try EvalSummary(benchmark: benchmark, samples: [sample("z", 0, true)], configuration: configuration)
        }
        #expect(throws: EvalSummaryError.duplicateSample("a", 0)) {
            try EvalSummary(benchmark: benchmark, samples: [sample("a", 0, true), sample("a", 0, true)], configuration: configuration)
        }
        #expect(throws: EvalSummaryError.sampleIndexOutOfRange("a", 2, n: 2)) {
            try EvalSummary(benchmark: benchmark, samples: [sample("a", 2, true)], configuration: configuration)
        }
    }

    @Test func configHashIsTheSHA256OfCanonicalJSON() throws {
        let json = configuration.canonicalJSON()
        #expect(json.hasPrefix(#"{"adapter_sha256":null,"backend":"blas","#))
        #expect(json.contains(#""template":{"name":"sky-t1"}"#))
        #expect(json.contains(#""top_k":null"#))
        #expect(configuration.configHash == SHA256Hasher.hex(Array(json.utf8)))
        var other = configuration
        other.seed = 43
        #expect(other.configHash != configuration.configHash)
        // Another kernel family gives other last bits, so its results are another configuration's.
        var otherKernels = configuration
        otherKernels.kernels = "OpenBLAS 0.3.21 Haswell"
        #expect(otherKernels.configHash != configuration.configHash)
        #expect(json.contains(#""kernels":"OpenBLAS 0.3.21 Zen""#))
        let decoded = try JSONDecoder().decode(EvalConfiguration.self, from: Data(json.utf8))
        #expect(decoded == configuration)
        #expect(decoded.configHash == configuration.configHash)
    }

    @Test func configurationsStoredBeforeKernelsWereRecordedStillDecode() throws {
        var stored = try #require(try JSONSerialization.jsonObject(with: Data(configuration.canonicalJSON().utf8)) as? [String: Any])
        stored["kernels"] = nil
        stored["grader"] = nil
        let decoded = try JSONDecoder().decode(EvalConfiguration.self, from: JSONSerialization.data(withJSONObject: stored))
        #expect(decoded.kernels == "unrecorded" && decoded.grader == "unrecorded")
        #expect(decoded.threads == 8)
    }

    /// The grader's version is in every configuration and its hash: a semantic version and the hash of its rule
    /// tables, so scores graded by two graders are two configurations.
    @Test func theGraderVersionIsRecordedAndChangesTheConfigHash() {
        #expect(configuration.grader == GraderVersion.current)
        let parts = GraderVersion.current.split(separator: "+")
        #expect(parts.count == 2 && parts[0] == "1.3.0" && parts[1].count == 12 && parts[1].allSatisfy(\.isHexDigit))
        #expect(configuration.canonicalJSON().contains(#""grader":"\#(GraderVersion.current)""#))
        var other = configuration
        other.grader = "1.0.0+000000000000"
        #expect(other.configHash != configuration.configHash)
    }

    @Test func sampleGraderRoutesMathAndCode() async throws {
        let grader = SampleGrader(sandbox: testSandbox())
        let math = grader.grade(output: "so \\boxed{4}", for: benchmark.problems[1])
        #expect(math.correct)
        #expect(math.extracted == "4")
        guard pythonAvailable else { return }
        let code = BenchmarkProblem(id: "c", problem: "sum", tests: .stdio([StdioTest(input: "2 3", output: "5")]))
        let result = await grader.gradeAsync(output: "```python\nprint(sum(map(int, input().split())))\n```", for: code)
        #expect(result.correct, "\(result.reason)")
        #expect(result.extracted == "print(sum(map(int, input().split())))")
    }
}
