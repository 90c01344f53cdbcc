import Foundation
import SkyCore
import Testing

@Suite struct SpecValidationTests {
    @Test func sleepSpecFillsDefaults() throws {
        let normalised = try JobSpecs.validate(kind: .sleep, spec: Data("{}".utf8))
        #expect(normalised["durationSeconds"] == .number(0))
        #expect(normalised["failureProbability"] == .number(0))
        #expect(normalised["failPermanently"] == .bool(false))
    }

    @Test func wrongTypeIsLocatedByPointer() {
        #expect {
            try JobSpecs.validate(kind: .sleep, spec: Data(#"{"durationSeconds": "ten"}"#.utf8))
        } throws: { error in
            let issues = (error as? SpecValidationError)?.issues ?? []
            return issues == [SpecIssue("/durationSeconds", "expected a number")]
        }
    }

    @Test func everyOutOfRangeFieldIsReported() {
        #expect {
            try JobSpecs.validate(kind: .sleep, spec: Data(#"{"durationSeconds": -1, "failureProbability": 2}"#.utf8))
        } throws: { error in
            let pointers = (error as? SpecValidationError)?.issues.map(\.pointer) ?? []
            return pointers == ["/durationSeconds", "/failureProbability"]
        }
    }

    @Test func malformedJSONIsRejected() {
        #expect(throws: SpecValidationError.self) {
            try JobSpecs.validate(kind: .sleep, spec: Data("{durationSeconds".utf8))
        }
    }

    @Test func requirementsMatchCapabilities() {
        let gpu = WorkerCapabilities(backend: "cuda", memoryMB: 80_000, labels: ["h100"])
        let cpu = WorkerCapabilities(backend: "cpu", memoryMB: 24_000)
        let needsGPU = JobRequirements(backend: "cuda", minMemoryMB: 40_000, labels: ["h100"])
        #expect(needsGPU.isSatisfied(by: gpu))
        #expect(!needsGPU.isSatisfied(by: cpu))
        #expect(JobRequirements().isSatisfied(by: cpu))
        #expect(!JobRequirements(labels: ["h100"]).isSatisfied(by: cpu))
        #expect(JobRequirements(backend: "tpu").validate().map(\.pointer) == ["/requirements/backend"])
    }

    @Test func fromJobReferencesAreFoundAnywhere() throws {
        let spec = try JSONValue.parse(Data(#"{"dataset": {"fromJob": 12}, "extra": [{"fromJob": 7}, {"fromJob": 12}], "n": 3}"#.utf8))
        #expect(JobInputs.referencedJobs(in: spec) == [12, 7])
    }
}

@Suite struct RetryPolicyTests {
    @Test func backoffIsAttemptToTheFourthWithoutJitter() {
        let policy = ExponentialBackoff(jitter: 0.1, random: { 0.5 })
        #expect(policy.delay(afterAttempt: 1) == .seconds(1))
        #expect(policy.delay(afterAttempt: 2) == .seconds(16))
        #expect(policy.delay(afterAttempt: 3) == .seconds(81))
    }

    @Test func jitterStaysWithinBounds() {
        let low = ExponentialBackoff(jitter: 0.1, random: { 0 }).delay(afterAttempt: 2)
        let high = ExponentialBackoff(jitter: 0.1, random: { 0.999_999 }).delay(afterAttempt: 2)
        #expect(low == .milliseconds(14_400))
        #expect(high > .milliseconds(17_599) && high <= .milliseconds(17_600))
    }

    @Test func delayIsCapped() {
        let policy = ExponentialBackoff(cap: .seconds(60), jitter: 0.1, random: { 0.999 })
        #expect(policy.delay(afterAttempt: 50) == .seconds(60))
    }
}
