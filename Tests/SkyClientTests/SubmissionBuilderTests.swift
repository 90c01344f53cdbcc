import SkyClient
import SkyCore
import Testing

@Suite struct SubmissionBuilderTests {
    @Test func withAKindTheFileIsTheSpecAndOptionsFillTheEnvelope() throws {
        var builder = SubmissionBuilder()
        builder.name = "nap"
        builder.experiment = "e1"
        builder.priority = 4
        builder.tags = ["a", "b"]
        builder.dependsOn = [7]
        builder.overrides = [try JSONOverride(parsing: "durationSeconds=2")]
        let body = try builder.body(kind: .sleep, document: .object(["durationSeconds": .number(1), "output": .string("x")]))
        #expect(body == .single(.object([
            "kind": .string("sleep"), "spec": .object(["durationSeconds": .number(2), "output": .string("x")]),
            "name": .string("nap"), "experiment": .string("e1"), "priority": .number(4),
            "tags": .array([.string("a"), .string("b")]), "dependsOn": .array([.number(7)]),
        ])))
    }

    @Test func withoutAKindASubmissionFileKeepsItsFieldsAndGainsTheCommandLines() throws {
        var builder = SubmissionBuilder()
        builder.tags = ["cli"]
        let document = try SpecDocument.parse("kind: sleep\nspec: {durationSeconds: 1}\ntags: [file]\nqueue: gpu")
        #expect(try builder.body(kind: nil, document: document) == .single(.object([
            "kind": .string("sleep"), "spec": .object(["durationSeconds": .number(1)]), "queue": .string("gpu"),
            "tags": .array([.string("file"), .string("cli")]),
        ])))
    }

    @Test func anExperimentFileBecomesABatchWithTheCommandLinesDefaults() throws {
        var builder = SubmissionBuilder()
        builder.experiment = "from-cli"
        let document = try SpecDocument.parse("experiment: from-file\njobs: [{id: a, kind: sleep, spec: {}}, {kind: sleep, spec: {}, after: a}]")
        guard case .batch(let batch) = try builder.body(kind: nil, document: document), case .array(let jobs)? = batch["jobs"] else {
            Issue.record("not a batch")
            return
        }
        #expect(jobs.map { $0["experiment"] } == [.string("from-cli"), .string("from-cli")])
        #expect(jobs[1]["dependsOnIndex"] == .array([.number(0)]))
    }

    @Test func perJobOptionsAreRefusedForBatchesAndAFileWithoutKindIsExplained() throws {
        var builder = SubmissionBuilder()
        builder.overrides = [try JSONOverride(parsing: "a=1")]
        let batch = #expect(throws: SpecFileError.self) { try builder.body(kind: nil, document: try SpecDocument.parse("jobs: [{kind: sleep, spec: {}}]")) }
        #expect(batch?.isUsage == true)
        let kindless = #expect(throws: SpecFileError.self) { try SubmissionBuilder().body(kind: nil, document: .object(["durationSeconds": .number(1)])) }
        #expect(kindless?.isUsage == true)
    }
}
