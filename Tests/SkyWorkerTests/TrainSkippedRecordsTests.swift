import Foundation
import SkyCore
import SkyData
@testable import SkyJobs
import SkyModel
import SkyStore
import SkyTestSupport
import SkyTrain
import SkyWorker
import Testing

/// Records whose prompt alone fills `sequences.maxLength`: the session and the train job say how many were skipped,
/// how long their prompts are and what to change, both when training goes on without them and when none is left.
@Suite struct TrainSkippedRecordsTests {
    /// The fixture's records and two more whose prompt is the first question 30 times over, in `file`.
    static func withLongPrompts(_ fixture: TrainFixture) throws -> (file: URL, records: [DatasetRecord]) {
        var reader = try DatasetReader(url: fixture.dataset)
        var records = try reader.readAll()
        let question = try #require(records.first?.question), reply = try #require(records.first?.response)
        for repeats in [30, 40] {
            records.append(DatasetRecord(messages: [Message(role: .user, content: Array(repeating: question, count: repeats).joined(separator: " ")),
                                                    Message(role: .assistant, content: reply)]))
        }
        let file = fixture.directory.appendingPathComponent("data/long-prompts.jsonl")
        var writer = try DatasetWriter(url: file, format: .sharegpt, layout: .jsonl)
        for record in records { try writer.write(record) }
        _ = try writer.finish()
        return (file, records)
    }

    /// Tokens before the first reply token of each record, as the session renders it.
    static func promptTokens(_ records: [DatasetRecord], fixture: TrainFixture) throws -> [Int] {
        let tokenizer = try Tokenizer(contentsOf: fixture.model.appendingPathComponent("tokenizer.json"))
        return try records.map { try #require(tokenizer.encodeChat(TrainSession.messages($0)).assistantMask.firstIndex(of: true)) }
    }

    /// One LoRA step on `dataset` with `maxLength`, nothing held out.
    static func spec(_ fixture: TrainFixture, dataset: URL, maxLength: Int) -> JSONValue {
        guard case .object(var fields) = TrainJobTests.loraSpec(model: .object(["path": .string(fixture.model.path)]),
                                                                dataset: .object(["path": .string(dataset.path)]), steps: 1)
        else { return .null }
        fields["sequences"] = .object(["maxLength": .number(Double(maxLength))])
        fields["evalFraction"] = .number(0)
        fields["evalEvery"] = .number(0)
        return .object(fields)
    }

    @Test func aSessionWhoseEveryPromptIsTooLongSaysSoWithTheirLengths() throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        let (file, records) = try Self.withLongPrompts(fixture)
        let lengths = try Self.promptTokens(records, fixture: fixture)
        let shortest = try #require(lengths.min()), longest = try #require(lengths.max())
        #expect(shortest > 8 && shortest < longest)
        let spec = try TrainSpec.decodeValidated(from: Self.spec(fixture, dataset: file, maxLength: 8).encoded())
        let error = try #require(throws: NoTrainingSequences.self) {
            try TrainSession(spec: spec, modelDirectory: fixture.model, datasetFile: file)
        }
        #expect(error.description == "no training sequences: 18 of 18 records: the prompt alone is \(shortest)–\(longest) tokens, "
            + "more than maxLength 8, so no assistant token is left to learn; raise sequences.maxLength or use truncation: left")
    }

    @Test func aSessionKeepsTheAccountOfTheRecordsItSkipped() throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        let (file, records) = try Self.withLongPrompts(fixture)
        let lengths = try Self.promptTokens(records, fixture: fixture)
        #expect(lengths.dropLast(2).allSatisfy { $0 < 200 } && lengths.suffix(2).allSatisfy { $0 > 256 }, "\(lengths)")
        let spec = try TrainSpec.decodeValidated(from: Self.spec(fixture, dataset: file, maxLength: 256).encoded())
        let session = try TrainSession(spec: spec, modelDirectory: fixture.model, datasetFile: file)
        #expect(session.run.summary.trainSequences == 16 && session.data.skipped == [.promptTooLong: 2])
        #expect(session.data.skips.description == "skipped 2 of 18 records: the prompt alone is \(lengths[16])–\(lengths[17]) tokens, "
            + "more than maxLength 256, so no assistant token is left to learn; raise sequences.maxLength or use truncation: left")
    }

    @Test func aTrainJobLogsTheSkippedRecordsAndFailsSayingWhyWhenNoneIsLeft() async throws {
        let fixture = try TrainFixture()
        defer { fixture.remove() }
        let (file, records) = try Self.withLongPrompts(fixture)
        let lengths = try Self.promptTokens(records, fixture: fixture)
        try await withTestDatabase { db in
            let partly = try await db.queue.submit(JobSubmission(kind: .train, spec: Self.spec(fixture, dataset: file, maxLength: 256)))
            let none = try await db.queue.submit(JobSubmission(kind: .train, spec: Self.spec(fixture, dataset: file, maxLength: 8)))
            let worker = try await makeWorker(db, executors: [TrainExecutor()])
            try await withWorker(worker) {
                let done = try await eventually(timeout: .seconds(600)) {
                    let first = try await db.queue.job(partly.id).state, second = try await db.queue.job(none.id).state
                    return first.isFinal && second.isFinal
                }
                #expect(done)
            }
            let trained = try await db.queue.job(partly.id)
            #expect(trained.state == .succeeded, "\(trained.error ?? "")")
            let warnings = try await db.queue.logs(of: partly.id).filter { $0.level == "warning" }.map(\.message)
            #expect(warnings == ["skipped 2 of 18 records: the prompt alone is \(lengths[16])–\(lengths[17]) tokens, more than maxLength 256, "
                + "so no assistant token is left to learn; raise sequences.maxLength or use truncation: left"])

            let failed = try await db.queue.job(none.id)
            let reason = "no training sequences: 18 of 18 records: the prompt alone is \(try #require(lengths.min()))–\(try #require(lengths.max())) "
                + "tokens, more than maxLength 8, so no assistant token is left to learn; raise sequences.maxLength or use truncation: left"
            #expect(failed.state == .failed && failed.attemptsUsed == 1)
            #expect(failed.error == "cannot prepare the run: " + reason)
            #expect(try await db.queue.logs(of: none.id).contains { $0.level == "error" && $0.message == reason })
        }
    }
}
