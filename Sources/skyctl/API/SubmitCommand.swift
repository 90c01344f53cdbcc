import ArgumentParser
import Foundation
import SkyClient
import SkyCore

/// `skyctl submit`: one job from a spec file, or many from an experiment file.
struct SubmitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Submit a job (KIND -f spec.yaml) or an experiment file (-f experiment.yaml with jobs:); prints the ids.",
        discussion: """
        With KIND, the file is that kind's spec (YAML or JSON); --set key.path=value edits it (values are JSON \
        when they parse, else strings). Without KIND, the file is a submission (kind:, spec:, …) or an experiment \
        file: `jobs:` is a list of submissions; a job with `id: NAME` can be named by later jobs in `after: NAME` \
        and in their spec as `{fromJob: NAME}`; top-level experiment/queue/priority/maxAttempts/requirements/tags \
        apply to every job. A batch is stored all or nothing.
        """
    )

    @Argument(help: "Job kind: perturb, train, eval, rescore, import or sleep.") var kind: JobKind?
    @Option(name: .shortAndLong, help: "Spec, submission or experiment file (YAML or JSON; - for standard input).") var file: String
    @Option(name: .customLong("set"), help: "Override a spec field: key.path=value (repeatable).") var overrides: [String] = []
    @Option(help: "A label for people, shown by skyctl status.") var name: String?
    @Option(help: "Experiment the job belongs to.") var experiment: String?
    @Option(help: "Queue (default: default).") var queue: String?
    @Option(help: "Priority, -1000 to 1000; higher runs first.") var priority: Int?
    @Option(help: "Attempts before the job fails.") var maxAttempts: Int?
    @Option(name: .customLong("tag"), help: "Tag (repeatable).") var tags: [String] = []
    @Option(name: .customLong("depends-on"), help: "Job id that must succeed first (repeatable).") var dependsOn: [Int64] = []
    @Option(help: "Idempotency key: resubmitting with the same key returns the first job.") var idempotencyKey: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        var builder = SubmissionBuilder()
        builder.name = name
        builder.experiment = experiment
        builder.queue = queue
        builder.priority = priority
        builder.maxAttempts = maxAttempts
        builder.tags = tags
        builder.dependsOn = dependsOn
        let body: SubmissionBuilder.Body
        do {
            builder.overrides = try overrides.map(JSONOverride.init(parsing:))
            body = try builder.body(kind: kind, document: try readDocument())
        } catch let error as SpecFileError {
            // EX_USAGE when the options do not fit the file, EX_DATAERR when the file itself is wrong.
            throw CLIFailure(error.description, code: error.isUsage ? 64 : 65)
        }
        try await connection.withClient { client in
            switch body {
            case .single(let submission):
                let job = try await client.submit(submission, idempotencyKey: idempotencyKey)
                if output.json { try Output.json(job) } else { print(job.id) }
            case .batch(let batch):
                guard idempotencyKey == nil else { throw CLIFailure("--idempotency-key applies to one job; give each job idempotencyKey: in the file", code: 64) }
                let results = try await client.submitBatch(batch)
                if output.json { try Output.json(results) } else { results.forEach { print($0.id) } }
            }
        }
    }

    private func readDocument() throws -> JSONValue {
        if file == "-" {
            return try SpecDocument.parse(String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self))
        }
        guard FileManager.default.fileExists(atPath: file) else { throw CLIFailure("\(file): no such file", code: 66) }
        return try SpecDocument.load(URL(fileURLWithPath: file))
    }
}
