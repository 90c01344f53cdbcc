import Foundation
import SkyCore
import Testing

/// One vocabulary of backends: specs, requirements and worker capabilities say blas and cuda; cpu is read as blas.
@Suite struct ComputeBackendTests {
    private static let minimalTrain = #"{"baseModel": {"path": "/models/tiny"}, "dataset": {"fromJob": 3}"#

    @Test func namesAndTheDeprecatedAlias() {
        #expect(ComputeBackend(named: "blas") == .blas && ComputeBackend(named: "cuda") == .cuda)
        #expect(ComputeBackend(named: "cpu") == .blas)
        #expect(ComputeBackend(named: "auto") == nil && ComputeBackend(named: "tpu") == nil)
        #expect(ComputeBackend.specNames == ["blas", "cuda", "auto"])
    }

    @Test(arguments: [("blas", "blas"), ("cuda", "cuda"), ("auto", "auto"), ("cpu", "blas")])
    func trainAndEvalSpecsStoreTheCanonicalName(given: String, stored: String) throws {
        let train = try JobSpecs.validate(kind: .train, spec: Data((Self.minimalTrain + #", "backend": "\#(given)"}"#).utf8))
        #expect(train["backend"] == .string(stored))
        let eval = try JobSpecs.validate(kind: .eval, spec: Data(
            #"{"model": {"path": "/m"}, "benchmarks": [{"name": "synthetic", "builtin": {"perLevel": 5}}], "backend": "\#(given)"}"#.utf8))
        #expect(eval["backend"] == .string(stored))
    }

    @Test func anUnknownSpecBackendListsTheNames() {
        let issues = specIssues(.train, Self.minimalTrain + #", "backend": "tpu"}"#)
        #expect(issues.map(\.pointer) == ["/backend"])
        #expect(issues.first?.message == "unknown backend 'tpu'; expected one of [\"blas\", \"cuda\", \"auto\"]")
    }

    @Test func requirementsAndCapabilitiesReadCpuAsBlas() throws {
        let decoded = try JSONDecoder().decode(JobRequirements.self, from: Data(#"{"backend": "cpu"}"#.utf8))
        #expect(decoded.backend == "blas" && decoded.validate().isEmpty)
        #expect(JobRequirements(backend: "cpu").backend == "blas")
        #expect(WorkerCapabilities(backend: "cpu").backend == "blas")
        #expect(JobRequirements(backend: "blas").isSatisfied(by: WorkerCapabilities(backend: "cpu")))
        #expect(!JobRequirements(backend: "cuda").isSatisfied(by: WorkerCapabilities(backend: "blas")))
        #expect(JobRequirements(backend: "auto").validate().map(\.message) == ["unknown backend 'auto'; expected one of [\"blas\", \"cuda\"]"])
    }
}
