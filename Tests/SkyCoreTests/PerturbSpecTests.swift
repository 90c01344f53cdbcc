import Foundation
import SkyCore
import Testing

@Suite struct PerturbSpecTests {
    private func issues(_ json: String) -> [SpecIssue] { specIssues(.perturb, json) }

    @Test func minimalSpecFillsDefaults() throws {
        let spec = try JobSpecs.validate(kind: .perturb, spec: Data(#"{"dataset": {"fromJob": 12}}"#.utf8))
        #expect(spec["seed"] == .number(0))
        #expect(spec["outputFormat"] == .string("sharegpt"))
        #expect(spec["segmenter"]?["kind"] == .string("blankLines"))
        #expect(JobInputs.referencedJobs(in: spec) == [12])
    }

    @Test func everyProblemIsLocatedByPointer() {
        let found = issues("""
        {"dataset": {"path": "a", "artifact": "b"}, "inputFormat": "csv",
         "perturbations": [{"type": "shuffle", "ratio": 1.5}, {"type": "scramble"}, {"type": "delete", "keywords": ["Wait"]},
                           {"type": "wrong_answer", "wrongSamples": {"fromJob": 0}}],
         "segmenter": {"kind": "llm"}}
        """)
        #expect(found.map(\.pointer) == [
            "/dataset", "/inputFormat", "/perturbations/0/ratio", "/perturbations/1/type", "/perturbations/2/keywords",
            "/perturbations/3/wrongSamples/fromJob", "/segmenter/kind",
        ])
    }

    @Test func wrongTypeIsADecodingIssue() {
        #expect(issues(#"{"dataset": {"path": "x"}, "seed": "one"}"#).map(\.pointer) == ["/seed"])
        #expect(issues(#"{"perturbations": []}"#).map(\.pointer) == ["/dataset"])
        #expect(issues(#"{"dataset": {"path": "x"}, "seed": 18446744073709551615}"#).map(\.pointer) == ["/seed"])
    }

    @Test func wrongSamplesJobIsADependency() throws {
        let spec = try JobSpecs.validate(kind: .perturb, spec: Data(#"{"dataset": {"artifact": "ds1"}, "perturbations": [{"type": "wrong_answer", "wrongSamples": {"fromJob": 4}}]}"#.utf8))
        #expect(JobInputs.referencedJobs(in: spec) == [4])
    }
}
