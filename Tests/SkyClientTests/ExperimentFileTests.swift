import SkyClient
import SkyCore
import Testing

@Suite struct ExperimentFileTests {
    @Test func namesBecomeIndexesInAfterAndFromJobReferences() throws {
        let document = try SpecDocument.parse("""
            experiment: sweep
            priority: 5
            jobs:
              - id: data
                kind: perturb
                spec: {dataset: {path: /data/a.jsonl}}
              - id: other
                kind: sleep
                spec: {durationSeconds: 0}
              - kind: sleep
                after: [data, other]
                priority: 9
                spec:
                  output: {dataset: {fromJob: data}, raw: {fromJob: "$1"}, byId: {fromJob: 12}}
            """)
        let batch = try ExperimentFile.batch(from: document)
        guard case .array(let jobs)? = batch["jobs"] else { Issue.record("no jobs"); return }
        #expect(jobs.count == 3)
        #expect(jobs[0]["name"] == .string("data") && jobs[0]["id"] == nil)
        #expect(jobs[0]["experiment"] == .string("sweep") && jobs[0]["priority"] == .number(5))
        #expect(jobs[2]["priority"] == .number(9))
        #expect(jobs[2]["after"] == nil)
        #expect(jobs[2]["dependsOnIndex"] == .array([.number(0), .number(1)]))
        #expect(jobs[2]["spec"]?["output"] == .object([
            "dataset": .object(["fromJob": .string("$0")]), "raw": .object(["fromJob": .string("$1")]),
            "byId": .object(["fromJob": .number(12)]),
        ]))
    }

    @Test func referencesToUnknownOrLaterJobsAreRefusedWithTheirPlace() throws {
        let forward = try SpecDocument.parse("""
            jobs:
              - {kind: sleep, spec: {}, after: later}
              - {id: later, kind: sleep, spec: {}}
            """)
        let forwardError = #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: forward) }
        #expect(forwardError?.description.contains("/jobs/0/after") == true)
        let unknown = try SpecDocument.parse("""
            jobs:
              - {kind: perturb, spec: {dataset: {fromJob: nobody}}}
            """)
        let unknownError = #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: unknown) }
        #expect(unknownError?.description.contains("/jobs/0/spec/dataset/fromJob") == true)
        let badIndex = try SpecDocument.parse("jobs: [{kind: sleep, spec: {}, dependsOnIndex: [0]}]")
        let badIndexError = #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: badIndex) }
        #expect(badIndexError?.description.contains("/jobs/0/dependsOnIndex/0") == true)
    }

    @Test func duplicateIdsUnknownTopLevelFieldsAndEmptyListsAreRefused() throws {
        let duplicate = try SpecDocument.parse("jobs: [{id: a, kind: sleep, spec: {}}, {id: a, kind: sleep, spec: {}}]")
        #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: duplicate) }
        #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: try SpecDocument.parse("jobz: []\njobs: [{kind: sleep}]")) }
        #expect(throws: SpecFileError.self) { try ExperimentFile.batch(from: try SpecDocument.parse("jobs: []")) }
    }
}
