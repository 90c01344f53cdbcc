import Foundation
import SkyClient
import SkyCore
import SkyTestSupport
import Testing

@Suite struct ExperimentCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theShippedExperimentExpandsToThePapersGrid() throws {
        let document = try SpecDocument.load(Self.repository.appendingPathComponent("experiments/structure-vs-content.yaml"))
        let plan = try ExperimentExpander.plan(document)
        let variants = Set(plan.jobs.map(\.variant))
        #expect(variants.count == 19)  // the paper's 18 fine-tuned variants and the untuned base
        // pretrain + base eval + 18 × (perturb + train + eval)
        #expect(plan.jobs.count == 2 + 18 * 3)
        let quick = try ExperimentExpander.plan(document, quick: true)
        #expect(Set(quick.jobs.map(\.variant)) == ["base", "correct", "wrong answers", "shuffle 100%", "insert 100%"])
        #expect(quick.jobs.count == 2 + 4 * 3)
    }

    /// A grid small enough to run for real in a test: a tiny model pretrained from scratch, two variants.
    static let tiny = """
        experiment: tiny-e2e
        baseModel:
          init: {preset: tiny, seed: 0, vocabSize: 300}
          pretrain:
            dataset: {synthetic: {seed: 0, count: 8, demonstrations: short}}
            optimization: {learningRate: 0.003, epochs: 1, microBatchSize: 8}
            sequences: {maxLength: 96}
            threads: 1
        dataset: {synthetic: {seed: 0, count: 4, demonstrations: long}}
        train: {mode: full, optimization: {learningRate: 0.001, epochs: 1, microBatchSize: 4}, sequences: {maxLength: 128}, threads: 1}
        variants:
          - {name: correct}
          - {name: shuffle 100%, perturbations: [{type: shuffle, ratio: 1.0}]}
        benchmarks: [{synthetic: {seed: 0, perLevel: 1}}]
        sampling: {temperature: 0, maxNewTokens: 8}
        eval: {batchSize: 8, prompt: {template: boxed}, threads: 1}
        quick: [base, correct]
        """

    @Test func aTinyExperimentRunsThroughRealWorkersAndFillsItsTable() async throws {
        try await withTestServer { server in
            let environment = ["SKY_SERVER": server.url, "SKY_TOKEN": server.adminToken]
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-experiment-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("tiny.yaml").path
            // Another harness's outputs on the same benchmark, imported as a row of the table beside Sky's own.
            let outputs = directory.appendingPathComponent("released.jsonl")
            try Data(#"{"idx": 0, "gt": "3", "code": ["\\boxed{3}"], "score": [true]}"#.utf8).write(to: outputs)
            let imports = "\nimports:\n  - {variant: released, benchmark: synthetic, format: qwen-math, file: {path: \(outputs.path)}}\n"
            try Data((Self.tiny + imports).utf8).write(to: URL(fileURLWithPath: file))

            let dry = try await runSkyctl(["experiment", "submit", file, "--dry-run", "--json"], environment: environment)
            #expect(dry.status == 0, "\(dry.stderr)")
            let planned = try APIJSON.decode(ExperimentSubmission.self, from: Data(dry.stdout.utf8))
            #expect(planned.jobs.count == 9 && planned.counts.new == 9 && planned.jobs.allSatisfy { $0.id == nil })

            let submit = try await runSkyctl(["experiment", "submit", file], environment: environment)
            #expect(submit.status == 0, "\(submit.stderr)")
            #expect(submit.stdout.contains("train shuffle 100%") && submit.stdout.contains("import released on synthetic") && submit.stdout.contains("created 9 new"))

            try await withAPIClient(server.connection()) { client in
                let finished = try await eventually(timeout: .seconds(300)) {
                    try await client.experiment("tiny-e2e").jobs.allSatisfy { $0.state.isFinal }
                }
                #expect(finished)
                let detail = try await client.experiment("tiny-e2e")
                print("tiny experiment: " + detail.jobs.map { "\($0.name ?? "") \(String(format: "%.1f", $0.timings.runSeconds ?? 0)) s" }.joined(separator: ", "))
                #expect(detail.counts.succeeded == 9, "\(detail.jobs.map { "\($0.name ?? "") \($0.state) \($0.error ?? "")" })")
            }

            let status = try await runSkyctl(["experiment", "status", "tiny-e2e"], environment: environment)
            #expect(status.status == 0 && status.stdout.contains("pretrain") && status.stdout.contains("1/1"), "\(status.stdout)")
            let table = try await runSkyctl(["experiment", "table", "tiny-e2e", "--json"], environment: environment)
            #expect(table.status == 0, "\(table.stderr)")
            let scores = try APIJSON.decode(ExperimentScores.self, from: Data(table.stdout.utf8))
            #expect(scores.rows.map(\.variant) == ["base", "correct", "shuffle 100%", "released"] && scores.benchmarks == ["synthetic"])
            #expect(scores.rows.last?.scores["synthetic"]?.importedFrom == "qwen-math" && scores.rows.last?.average == 1)

            let again = try await runSkyctl(["experiment", "submit", file, "--json"], environment: environment)
            let reused = try APIJSON.decode(ExperimentSubmission.self, from: Data(again.stdout.utf8))
            #expect(reused.counts.reused == 9 && reused.counts.new == 0)
            let absent = try await runSkyctl(["experiment", "submit", file, "--if-absent"], environment: environment)
            #expect(absent.status == 0 && absent.stdout.contains("already exists"))
            let list = try await runSkyctl(["experiment", "list"], environment: environment)
            #expect(list.status == 0 && list.stdout.contains("tiny-e2e"))
        }
    }
}
