import Foundation
import SkyClient
import SkyCore
import Testing

/// The contract's enums are the Swift enums they describe, value for value: a kind, state, format or stage added on
/// one side only fails here, not in front of a client whose generated code refuses the new value.
@Suite struct ContractEnumTests {
    /// The `enum` of the schema at `path` (keys from `components/schemas` down), as a set.
    func contractEnum(_ path: [String]) throws -> Set<String> {
        var node: Any = OpenAPIContract.shared.document["components"] as Any
        for key in ["schemas"] + path {
            node = try #require((node as? [String: Any])?[key], "no \(path.joined(separator: "/")) in api/openapi.yaml")
        }
        let values = try #require((node as? [String: Any])?["enum"] as? [Any], "\(path.joined(separator: "/")) has no enum")
        return Set(values.compactMap { $0 as? String })
    }

    @Test func everyEnumOfTheContractMatchesItsSwiftEnum() throws {
        #expect(try contractEnum(["JobKind"]) == Set(JobKind.allCases.map(\.rawValue)))
        #expect(try contractEnum(["JobState"]) == Set(JobState.allCases.map(\.rawValue)))
        #expect(try contractEnum(["ArtifactKind"]) == Set(ArtifactKind.allCases.map(\.rawValue)))
        #expect(try contractEnum(["ImportSpec", "properties", "format"]) == Set(HarnessFormat.allCases.map(\.rawValue)))
        #expect(try contractEnum(["Perturbation", "properties", "type"]) == Set(PerturbSpec.PerturbationKind.allCases.map(\.rawValue)))
        #expect(try contractEnum(["ExperimentPlan", "properties", "jobs", "items", "properties", "stage"]) == Set(ExperimentPlanText.stages))
        #expect(try contractEnum(["EvalSpec", "properties", "benchmarks", "items", "properties", "format"]) == EvalSpec.BenchmarkSource.formats)
        // Spec fields that name one of a fixed set (SpecChoice), on both specs that carry them.
        #expect(try contractEnum(["TrainSpec", "properties", "optimization", "properties", "lrScheduler"])
                == Set(TrainSpec.Optimization.Scheduler.allCases.map(\.rawValue)))
        #expect(try contractEnum(["TrainSpec", "properties", "sequences", "properties", "truncation"])
                == Set(TrainSpec.Sequences.Truncation.allCases.map(\.rawValue)))
        #expect(try contractEnum(["TrainSpec", "properties", "sequences", "properties", "lossOn"])
                == Set(TrainSpec.Sequences.LossTarget.allCases.map(\.rawValue)))
        #expect(try contractEnum(["TrainSpec", "properties", "sequences", "properties", "chatTemplate"])
                == Set(ChatTemplateName.allCases.map(\.rawValue)))
        #expect(try contractEnum(["EvalSpec", "properties", "prompt", "properties", "template"])
                == Set(EvalSpec.Prompt.Template.allCases.map(\.rawValue)))
        #expect(try contractEnum(["EvalSpec", "properties", "prompt", "properties", "chatTemplate"])
                == Set(ChatTemplateName.allCases.map(\.rawValue)))
    }
}
